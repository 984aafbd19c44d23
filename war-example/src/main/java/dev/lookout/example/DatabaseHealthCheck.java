package dev.lookout.example;

import dev.lookout.filters.health.HealthCheck;
import dev.lookout.filters.health.HealthCheckResult;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** Readiness: the orders database answers. Found by Lookout through the service loader. */
public class DatabaseHealthCheck implements HealthCheck {
  @Override
  public String name() {
    return "orders-database";
  }

  @Override
  public HealthCheckResult check() throws Exception {
    try (Connection c = Database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM orders")) {
      rs.next();
      return HealthCheckResult.up().withData("orders", rs.getLong(1));
    }
  }
}
