package com.nimbusos.auth.api.keys;

class InMemoryKeyStoreTest extends KeyStoreContract {

  @Override
  protected KeyStore newStore() {
    return new InMemoryKeyStore();
  }
}
