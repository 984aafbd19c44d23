package dev.lookout.jdbc.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKeyBuilder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A DataSource whose connections are observed; everything else goes to the wrapped one. Internal. */
public final class LookoutDataSource implements DataSource {

  private final DataSource delegate;
  private final Pool pool;

  public LookoutDataSource(DataSource delegate, Pool pool) {
    this.delegate = delegate;
    this.pool = pool;
  }

  @Override
  public Connection getConnection() throws SQLException {
    long start = System.nanoTime();
    Connection c = delegate.getConnection();
    return observed(c, start);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    long start = System.nanoTime();
    Connection c = delegate.getConnection(username, password);
    return observed(c, start);
  }

  private Connection observed(Connection c, long start) {
    long waited = System.nanoTime() - start;
    if (c == null) {
      return null;
    }
    try {
      DbTelemetry t = DbTelemetry.current();
      if (t != null) {
        t.connectionObtained(pool, waited);
      }
      return Proxies.connection(c, pool);
    } catch (Throwable e) {
      dev.lookout.filters.internal.FailOpen.report("wrapping a connection", e);
      return c;
    }
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
  public ShardingKeyBuilder createShardingKeyBuilder() throws SQLException {
    return delegate.createShardingKeyBuilder();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(delegate)) {
      return iface.cast(delegate);
    }
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(delegate) || delegate.isWrapperFor(iface);
  }

  @Override
  public String toString() {
    return "Lookout[" + delegate + "]";
  }
}
