package dev.lookout.filters.internal.health;

import dev.lookout.filters.health.HealthCheck;
import dev.lookout.filters.health.HealthCheckResult;
import java.sql.Connection;
import java.time.Duration;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Readiness check of a JNDI DataSource: borrows a connection and asks {@link Connection#isValid}.
 * Internal; enabled by the setting {@code lookout.health.datasource}.
 */
public final class DataSourceHealthCheck implements HealthCheck {

  private final String jndiName;
  private final int timeoutSeconds;
  private volatile DataSource dataSource;

  public DataSourceHealthCheck(String jndiName, Duration timeout) {
    this.jndiName = jndiName;
    this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
  }

  @Override
  public String name() {
    return "datasource";
  }

  @Override
  public HealthCheckResult check() throws Exception {
    DataSource ds = dataSource;
    if (ds == null) {
      try {
        ds = (DataSource) new InitialContext().lookup(jndiName);
      } catch (NamingException | ClassCastException e) {
        return HealthCheckResult.down("no DataSource at JNDI name " + jndiName + ": " + e.getMessage())
            .withData("jndi", jndiName);
      }
      dataSource = ds;
    }
    try (Connection c = ds.getConnection()) {
      boolean valid = c.isValid(timeoutSeconds);
      HealthCheckResult r = valid ? HealthCheckResult.up() : HealthCheckResult.down("connection not valid");
      return r.withData("jndi", jndiName);
    }
  }
}
