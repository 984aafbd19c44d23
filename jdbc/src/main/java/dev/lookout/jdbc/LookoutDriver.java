package dev.lookout.jdbc;

import dev.lookout.jdbc.internal.DriverSupport;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver for {@code jdbc:lookout:<the database's URL without jdbc:>} (e.g.
 * {@code jdbc:lookout:postgresql://db:5432/orders}): observes the connections of the database's own
 * driver, for DataSources defined in configuration only (docs/database.md). Class name for pools that
 * ask for one: {@code dev.lookout.jdbc.LookoutDriver}.
 */
public final class LookoutDriver implements Driver {

  static {
    DriverSupport.register(new LookoutDriver());
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    return DriverSupport.connect(url, info);
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(DriverSupport.PREFIX);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return new DriverPropertyInfo[0];
    }
    String inner = "jdbc:" + url.substring(DriverSupport.PREFIX.length());
    return DriverSupport.innerDriver(inner).getPropertyInfo(inner, info);
  }

  @Override
  public int getMajorVersion() {
    return 0;
  }

  @Override
  public int getMinorVersion() {
    return 1;
  }

  @Override
  public boolean jdbcCompliant() {
    return false; // it is as compliant as the driver it wraps
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("Lookout's driver logs through Log4j, not java.util.logging");
  }
}
