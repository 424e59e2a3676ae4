package com.nimbusos.auth.api.keys;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link DataSource} on a real PostgreSQL server (14, from a Maven artifact), started
 * once for the whole test run and stopped when the run ends: no installation step, also as root.
 */
public final class EmbeddedPostgresExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedPostgres.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Server.class, type -> new Server(), Server.class)
        .postgres;
  }

  private static final class Server implements ExtensionContext.Store.CloseableResource {
    final EmbeddedPostgres postgres;

    Server() {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new IllegalStateException("embedded PostgreSQL did not start: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() throws IOException {
      postgres.close();
    }
  }
}
