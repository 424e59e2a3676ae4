package com.nimbusos.auth.api.keys;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store contract on a real PostgreSQL server. */
@ExtendWith(EmbeddedPostgresExtension.class)
class JdbcKeyStorePostgresTest extends KeyStoreContract {

  private DataSource dataSource;

  @BeforeEach
  void usePostgres(EmbeddedPostgres postgres) throws Exception {
    dataSource = postgres.getPostgresDatabase();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "DROP TABLE IF EXISTS nimbus_api_key, nimbus_api_key_owner, nimbus_api_key_revision");
    }
    store = newStore();
  }

  @Override
  protected KeyStore newStore() {
    return dataSource == null ? new InMemoryKeyStore() : new JdbcKeyStore(dataSource, "postgresql");
  }

  @Override
  protected KeyStore anotherViewOfTheSameStorage() {
    return new JdbcKeyStore(dataSource, "postgresql, another node");
  }
}
