package dev.lookout.filters.health;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import jakarta.servlet.ServletContext;

/**
 * Programmatic registration of {@link HealthCheck}s for code that builds its checks at startup
 * (e.g. in a {@code ServletContextListener}), as an alternative to the service loader.
 */
public final class HealthChecks {

  /** Context attribute holding the registered checks. */
  static final String ATTRIBUTE = "dev.lookout.health.checks";

  private HealthChecks() {}

  /** Adds a check to this web application's probes; it is evaluated from the next probe request on. */
  public static void register(ServletContext context, HealthCheck check) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(check.name(), "check.name()");
    registered(context).add(check);
  }

  /** The checks registered so far for this web application (a live, thread-safe list). */
  @SuppressWarnings("unchecked")
  public static List<HealthCheck> registered(ServletContext context) {
    synchronized (context) {
      Object list = context.getAttribute(ATTRIBUTE);
      if (list == null) {
        list = new CopyOnWriteArrayList<HealthCheck>();
        context.setAttribute(ATTRIBUTE, list);
      }
      return (List<HealthCheck>) list;
    }
  }
}
