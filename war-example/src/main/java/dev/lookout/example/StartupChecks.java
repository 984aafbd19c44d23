package dev.lookout.example;

import dev.lookout.filters.health.HealthCheck;
import dev.lookout.filters.health.HealthCheckResult;
import dev.lookout.filters.health.HealthChecks;
import dev.lookout.filters.health.HealthProbe;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.EnumSet;
import java.util.Set;

/** Registers a check built at startup, the programmatic way: the schema exists (startup probe). */
public class StartupChecks implements ServletContextListener {

  @Override
  public void contextInitialized(ServletContextEvent e) {
    HealthChecks.register(e.getServletContext(), new SchemaCheck());
  }

  /** UP once the orders schema was created. */
  static final class SchemaCheck implements HealthCheck {
    @Override
    public String name() {
      return "database-schema";
    }

    @Override
    public Set<HealthProbe> probes() {
      return EnumSet.of(HealthProbe.STARTUP);
    }

    @Override
    public HealthCheckResult check() {
      try {
        Database.dataSource();
        return HealthCheckResult.up();
      } catch (IllegalStateException notYet) {
        return HealthCheckResult.down("schema not created yet");
      }
    }
  }
}
