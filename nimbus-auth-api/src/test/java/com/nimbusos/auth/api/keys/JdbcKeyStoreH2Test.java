package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * The store contract on H2, the database behind {@code java:comp/DefaultDataSource} on WildFly and
 * Payara.
 */
class JdbcKeyStoreH2Test extends KeyStoreContract {

  private JdbcDataSource dataSource;

  @Override
  protected KeyStore newStore() {
    dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return new JdbcKeyStore(dataSource, "h2");
  }

  @Override
  protected KeyStore anotherViewOfTheSameStorage() {
    return new JdbcKeyStore(dataSource, "h2, another node");
  }

  @Test
  void reportsADatabaseThatIsDownWithoutHangingOrLeakingSecrets() {
    JdbcDataSource nowhere = new JdbcDataSource();
    nowhere.setURL("jdbc:h2:tcp://127.0.0.1:1/none");
    nowhere.setPassword("s3cret-password");
    JdbcKeyStore down = new JdbcKeyStore(nowhere, "h2 at 127.0.0.1:1");
    KeyStoreException e = assertThrows(KeyStoreException.class, () -> down.findById("key_1"));
    assertTrue(
        e.getMessage().startsWith("cannot look up a key in h2 at 127.0.0.1:1"), e.getMessage());
    assertTrue(!e.getMessage().contains("s3cret"), e.getMessage());
  }

  @Test
  void shipsItsSchema() {
    assertTrue(JdbcKeyStore.schema().contains("CREATE TABLE IF NOT EXISTS nimbus_api_key"));
  }
}
