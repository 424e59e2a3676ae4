package com.example.readme.custom;

import com.nimbusos.auth.api.keys.InMemoryKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.jaxrs.keys.KeyManagement;

/** The store docs/key-management.md's example manages: one in memory, for the example to compile. */
final class PartnerKeys {
  static final KeyManagement MANAGEMENT = KeyManagement.over(new InMemoryKeyStore()).hasher(KeyHasher.sha256()).build();

  private PartnerKeys() {}
}
