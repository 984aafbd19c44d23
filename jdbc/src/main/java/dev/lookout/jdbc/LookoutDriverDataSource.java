package dev.lookout.jdbc;

import dev.lookout.jdbc.internal.DriverSupport;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource over a {@code jdbc:lookout:} URL (what {@link LookoutDriver} connects), for
 * datasource definitions that name a DataSource class rather than a driver, such as the
 * {@code <data-source>} of {@code web.xml} on WildFly (docs/database.md). Bean properties: {@code
 * url} (also {@code URL}), {@code user}, {@code password}; the server's pool sits on top of it.
 */
public final class LookoutDriverDataSource implements DataSource {

  private volatile String url;
  private volatile String user;
  private volatile String password;
  private volatile int loginTimeout;
  private volatile PrintWriter logWriter;

  /** The URL, {@code jdbc:lookout:} followed by the database's own URL without {@code jdbc:}. */
  public void setUrl(String url) {
    this.url = url;
  }

  /** The same as {@link #setUrl}, under the property name some servers and drivers use. */
  public void setURL(String url) {
    this.url = url;
  }

  public String getUrl() {
    return url;
  }

  public void setUser(String user) {
    this.user = user;
  }

  public String getUser() {
    return user;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return getConnection(user, password);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    String u = url;
    if (u == null || !u.startsWith(DriverSupport.PREFIX)) {
      throw new SQLException(
          "Lookout: LookoutDriverDataSource needs the property url, written as jdbc:lookout: followed by"
              + " the database's own URL without its jdbc: prefix, e.g. jdbc:lookout:postgresql://db:5432/orders",
          "08001");
    }
    Properties info = new Properties();
    if (username != null) {
      info.setProperty("user", username);
    }
    if (password != null) {
      info.setProperty("password", password);
    }
    Connection c = DriverSupport.connect(u, info);
    if (c == null) {
      throw new SQLException("Lookout: the database's driver returned no connection", "08001");
    }
    return c;
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeout = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeout;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("Lookout logs through Log4j, not java.util.logging");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
