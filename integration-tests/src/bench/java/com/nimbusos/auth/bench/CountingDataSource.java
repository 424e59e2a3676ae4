package com.nimbusos.auth.bench;

import com.nimbusos.auth.contract.DelegatingDataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that passes everything to a real one and counts the connections taken and
 * the statements prepared on them: how many queries a workload costs the database.
 */
public final class CountingDataSource extends DelegatingDataSource {

  /**
   * A statement that reads the key table itself, not the revision row a validator's background poll
   * reads every 250 ms whatever the workload does.
   */
  private static final Pattern KEY_READ =
      Pattern.compile("\\bFROM\\s+nimbus_api_key\\b(?!_)", Pattern.CASE_INSENSITIVE);

  private final LongAdder connections = new LongAdder();
  private final LongAdder statements = new LongAdder();
  private final LongAdder keyReads = new LongAdder();

  public CountingDataSource(DataSource delegate) {
    super(delegate);
  }

  /** Connections taken so far. */
  public long connections() {
    return connections.sum();
  }

  /** Statements prepared or created so far. */
  public long statements() {
    return statements.sum();
  }

  /**
   * Statements prepared so far that read keys: what a workload asks of the store, without the
   * polls, whose number depends on how long the workload took (on a slow or busy machine, many).
   */
  public long keyReads() {
    return keyReads.sum();
  }

  @Override
  public Connection getConnection() throws SQLException {
    return counted(super.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return counted(super.getConnection(username, password));
  }

  private Connection counted(Connection connection) {
    connections.increment();
    InvocationHandler handler =
        new InvocationHandler() {
          @Override
          public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("prepareStatement")
                || name.equals("createStatement")
                || name.equals("prepareCall")) {
              statements.increment();
              if (args != null
                  && args.length > 0
                  && args[0] instanceof String sql
                  && KEY_READ.matcher(sql).find()) {
                keyReads.increment();
              }
            }
            try {
              return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          }
        };
    return (Connection)
        Proxy.newProxyInstance(
            CountingDataSource.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }
}
