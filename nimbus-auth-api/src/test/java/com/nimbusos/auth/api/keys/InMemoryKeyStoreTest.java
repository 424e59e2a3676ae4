package com.nimbusos.auth.api.keys;

class InMemoryKeyStoreTest extends KeyStoreContract {

  @Override
  protected KeyStore newStore() {
    return new InMemoryKeyStore();
  }

  /** In memory, storage is the object itself. */
  @Override
  protected KeyStore anotherViewOfTheSameStorage() {
    return store;
  }
}
