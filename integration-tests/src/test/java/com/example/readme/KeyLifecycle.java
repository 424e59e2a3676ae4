package com.example.readme;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.keys.CreatedKey;
import com.nimbusos.auth.api.keys.JdbcKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

// docs/key-stores.md's key lifecycle in Java; DocsExamplesTest finds its block here.
final class KeyLifecycle {

  private KeyLifecycle() {}

  static boolean lifecycle() throws Exception {
    KeyManager keys = new KeyManager(JdbcKeyStore.fromJndi("java:comp/DefaultDataSource"), KeyHasher.sha256());
    CreatedKey created = keys.create("acme-health", Environment.PRODUCTION, Set.of("orders:read"), null);
    String showOnce = created.key();                                   // give it to the partner, then forget it
    CreatedKey next = keys.rotate(created.record().keyId(), Instant.now().plus(Duration.ofDays(7)));
    keys.revoke(created.record().keyId());                             // returns once committed
    boolean here = keys.awaitInForceHere(Duration.ofSeconds(1));       // true: every validator of this JVM applies it
    keys.disableOwner("acme-health");                                  // every key of the partner, at once
    return here && next != null && showOnce != null;
  }
}
