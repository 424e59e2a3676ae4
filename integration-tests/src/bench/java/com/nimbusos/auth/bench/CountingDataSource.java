package com.nimbusos.auth.bench;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that passes everything to a real one and counts the connections taken and
 * the statements prepared on them: how many queries a workload costs the database.
 */
public final class CountingDataSource implements DataSource {

  private final DataSource delegate;
  private final LongAdder connections = new LongAdder();
  private final LongAdder statements = new LongAdder();

  public CountingDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  /** Connections taken so far. */
  public long connections() {
    return connections.sum();
  }

  /** Statements prepared or created so far. */
  public long statements() {
    return statements.sum();
  }

  @Override
  public Connection getConnection() throws SQLException {
    return counted(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return counted(delegate.getConnection(username, password));
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

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return delegate.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return delegate.isWrapperFor(type);
  }
}
