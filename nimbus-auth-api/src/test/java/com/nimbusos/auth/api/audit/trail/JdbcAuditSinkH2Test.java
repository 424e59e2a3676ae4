package com.nimbusos.auth.api.audit.trail;

import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;

/** The JDBC trail on H2, the servers' default database. */
class JdbcAuditSinkH2Test extends JdbcAuditSinkContract {

  private JdbcDataSource dataSource;

  @BeforeEach
  void useAFreshDatabase() {
    dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  @Override
  protected DataSource dataSource() {
    return dataSource;
  }
}
