package com.nimbusos.auth.api.audit.trail;

import com.nimbusos.auth.api.keys.EmbeddedPostgresExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JDBC trail on a real PostgreSQL server, what a cluster shares. */
@ExtendWith(EmbeddedPostgresExtension.class)
class JdbcAuditSinkPostgresTest extends JdbcAuditSinkContract {

  private DataSource dataSource;

  @BeforeEach
  void useAnEmptyTable(EmbeddedPostgres postgres) throws Exception {
    dataSource = postgres.getPostgresDatabase();
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS nimbus_audit_record");
    }
  }

  @Override
  protected DataSource dataSource() {
    return dataSource;
  }
}
