package dev.lookout.jdbc.internal;

import dev.lookout.filters.internal.LookoutRuntime;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What {@code dev.lookout.jdbc.LookoutDriver} does: finds the real driver of the inner URL, wraps
 * its connections, and deregisters at undeploy the drivers this web application registered through
 * it, so that no driver (and no class loader) outlives the application. Internal.
 */
public final class DriverSupport {

  public static final String PREFIX = "jdbc:lookout:";

  private static final Logger LOG = LogManager.getLogger("lookout");
  private static final ClassLoader OWN_LOADER = DriverSupport.class.getClassLoader();
  /** Drivers registered because of this class loader: Lookout's own and those it loaded. */
  private static final Set<Driver> OWN = Collections.newSetFromMap(new ConcurrentHashMap<>());
  private static final Set<LookoutRuntime> HOOKED = Collections.newSetFromMap(new ConcurrentHashMap<>());

  private DriverSupport() {}

  /** Registers Lookout's driver (from its static initialiser). */
  public static void register(Driver lookoutDriver) {
    try {
      DriverManager.registerDriver(lookoutDriver);
      OWN.add(lookoutDriver);
      hookUndeploy();
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  public static Connection connect(String url, Properties info) throws SQLException {
    if (url == null || !url.startsWith(PREFIX)) {
      return null;
    }
    hookUndeploy();
    String inner = "jdbc:" + url.substring(PREFIX.length());
    Driver driver = innerDriver(inner);
    Pool pool = Pools.forUrl(inner);
    long start = System.nanoTime();
    Connection c = driver.connect(inner, info);
    long nanos = System.nanoTime() - start;
    if (c == null) {
      return null;
    }
    try {
      DbTelemetry t = DbTelemetry.current();
      if (t != null) {
        t.connectionObtained(pool, nanos);
      }
      return Proxies.connection(c, pool);
    } catch (Throwable e) {
      dev.lookout.filters.internal.FailOpen.report("wrapping a connection", e);
      return c;
    }
  }

  /** The driver that accepts the inner URL: one already registered, else one this application ships. */
  public static Driver innerDriver(String inner) throws SQLException {
    if (inner.startsWith(PREFIX)) {
      throw new SQLException("Lookout: the JDBC URL names jdbc:lookout: twice; write jdbc:lookout:<the database's own URL without jdbc:>", "08001");
    }
    try {
      return DriverManager.getDriver(inner);
    } catch (SQLException notRegistered) {
      // DriverManager may have scanned for drivers before this application's jars were visible.
    }
    for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(), OWN_LOADER}) {
      if (loader == null) {
        continue;
      }
      for (Driver d : ServiceLoader.load(Driver.class, loader)) {
        try {
          if (!(d.getClass().getName().startsWith("dev.lookout.")) && d.acceptsURL(inner)) {
            ownIfLoadedHere(d);
            return d;
          }
        } catch (SQLException | RuntimeException e) {
          // a broken driver: try the next one
        }
      }
    }
    throw new SQLException(
        "Lookout: no JDBC driver accepts the URL after jdbc:lookout: (it starts with "
            + scheme(inner)
            + "). Put the database's JDBC driver jar next to lookout-jdbc (in WEB-INF/lib, or the"
            + " server's lib directory), and write the URL as jdbc:lookout: followed by the database's"
            + " own URL without its jdbc: prefix, e.g. jdbc:lookout:postgresql://db:5432/orders",
        "08001");
  }

  /** The URL up to the subprotocol, never credentials: {@code jdbc:postgresql:}. */
  static String scheme(String url) {
    int second = url.indexOf(':', 5);
    return second < 0 ? "jdbc:" : url.substring(0, Math.min(second + 1, 40));
  }

  /** A driver class that the service loader just loaded from this application registered itself. */
  private static void ownIfLoadedHere(Driver d) {
    ClassLoader l = d.getClass().getClassLoader();
    if (l != null && l != ClassLoader.getSystemClassLoader() && l != ClassLoader.getPlatformClassLoader()) {
      for (Enumeration<Driver> e = DriverManager.getDrivers(); e.hasMoreElements(); ) {
        Driver registered = e.nextElement();
        if (registered.getClass() == d.getClass()) {
          OWN.add(registered);
        }
      }
    }
  }

  /** Deregisters at the running application's undeploy, once per runtime. */
  private static void hookUndeploy() {
    try {
      LookoutRuntime runtime = LookoutRuntime.current();
      if (runtime != null && HOOKED.add(runtime)) {
        runtime.onClose(
            () -> {
              HOOKED.remove(runtime);
              deregisterOwnDrivers();
            });
      }
    } catch (RuntimeException | LinkageError e) {
      // no runtime: nothing to hook
    }
  }

  /**
   * Deregisters, at undeploy, every JDBC driver this web application's class loader registered:
   * Lookout's own, the inner drivers it loaded, and those DriverManager's service scan found in the
   * WAR once Lookout's driver made it look (it runs last, after the application's own listeners).
   * Nothing is done when Lookout sits on the server's or JVM's class path.
   */
  static void deregisterOwnDrivers() {
    if (OWN_LOADER == null
        || OWN_LOADER == ClassLoader.getSystemClassLoader()
        || OWN_LOADER == ClassLoader.getPlatformClassLoader()) {
      return;
    }
    for (Enumeration<Driver> e = DriverManager.getDrivers(); e.hasMoreElements(); ) {
      Driver d = e.nextElement();
      if (OWN.contains(d) || d.getClass().getClassLoader() == OWN_LOADER) {
        try {
          DriverManager.deregisterDriver(d);
        } catch (SQLException | RuntimeException ex) {
          LOG.warn("Lookout: could not deregister the JDBC driver {}", d.getClass().getName(), ex);
        }
      }
    }
    OWN.clear();
  }
}
