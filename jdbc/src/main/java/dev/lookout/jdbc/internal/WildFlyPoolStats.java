package dev.lookout.jdbc.internal;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.Hashtable;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The maximum and idle counts of a datasource of WildFly's {@code datasources} subsystem
 * (IronJacamar), from WildFly's management model as its JMX subsystem exposes it in the platform
 * MBeanServer: {@code maxPoolSize} of {@code jboss.as:subsystem=datasources,data-source=<name>}
 * and {@code IdleCount} of its {@code statistics=pool} child, which IronJacamar keeps only with
 * {@code statistics-enabled=true}.
 *
 * <p>Which datasource a looked-up DataSource is, is found by identity: WildFly binds one object per
 * datasource, so the one whose {@code jndiName} looks up to the wrapped object is it. The search
 * runs at scrape time (on the application's own request thread, where its JNDI names resolve), again
 * at most every 30 seconds until it succeeds; until then, and for ever if the MBeans are not there,
 * there are no max/idle series.
 * Internal.
 */
final class WildFlyPoolStats extends PoolStats {

  private static final Logger LOG = LogManager.getLogger("lookout");
  private static final String[] KINDS = {"data-source", "xa-data-source"};
  /** A search that found nothing is not run again sooner: each costs a JNDI lookup per datasource. */
  private static final long RETRY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

  private final Object dataSource;
  private final AtomicBoolean notFoundLogged = new AtomicBoolean();
  private final AtomicBoolean disabledLogged = new AtomicBoolean();
  private volatile ObjectName resource; // null until found
  private volatile ObjectName statistics;
  private volatile long nextSearch = System.nanoTime();

  private WildFlyPoolStats(Object dataSource) {
    this.dataSource = dataSource;
  }

  static PoolStats find(Object dataSource) {
    return new WildFlyPoolStats(dataSource);
  }

  @Override
  double max() {
    ObjectName r = resolve();
    return r == null ? -1 : number(attribute(r, "maxPoolSize"));
  }

  @Override
  double idle() {
    ObjectName r = resolve();
    if (r == null) {
      return -1;
    }
    if (!Boolean.TRUE.equals(attribute(r, "statisticsEnabled"))) {
      if (disabledLogged.compareAndSet(false, true)) {
        LOG.info(
            "Lookout: WildFly datasource {} has statistics-enabled=false: db_connections_idle is left out"
                + " until it is enabled", r.getKeyProperty(kind(r)));
      }
      return -1;
    }
    return number(attribute(statistics, "IdleCount"));
  }

  private ObjectName resolve() {
    ObjectName r = resource;
    if (r != null) {
      return r;
    }
    long now = System.nanoTime();
    if (now - nextSearch < 0) {
      return null;
    }
    nextSearch = now + RETRY_NANOS;
    try {
      r = search(ManagementFactory.getPlatformMBeanServer());
    } catch (JMException | NamingException | RuntimeException | LinkageError e) {
      r = null;
    }
    if (r == null) {
      if (notFoundLogged.compareAndSet(false, true)) {
        LOG.info(
            "Lookout: no WildFly datasource resource (jboss.as:subsystem=datasources,...) binds {}:"
                + " db_connections_max and db_connections_idle are left out for it", dataSource);
      }
      return null;
    }
    Hashtable<String, String> keys = new Hashtable<>(r.getKeyPropertyList());
    keys.put("statistics", "pool");
    try {
      statistics = new ObjectName(r.getDomain(), keys);
    } catch (JMException e) {
      return null;
    }
    resource = r;
    return r;
  }

  private ObjectName search(MBeanServer server) throws JMException, NamingException {
    Set<ObjectName> names = server.queryNames(new ObjectName("jboss.as:subsystem=datasources,*"), null);
    InitialContext naming = new InitialContext();
    try {
      for (ObjectName n : names) {
        if (kind(n) == null || n.getKeyProperty("statistics") != null) {
          continue;
        }
        Object jndiName = attribute(n, "jndiName");
        if (jndiName instanceof String name && !name.isEmpty()) {
          try {
            if (same(naming.lookup(name), dataSource)) {
              return n;
            }
          } catch (NamingException | RuntimeException e) {
            // not bound now (disabled, or another application's java:app name)
          }
        }
      }
      return null;
    } finally {
      naming.close();
    }
  }

  /** The bound object is the wrapped one, or unwraps to it (IronJacamar's own DataSource). */
  private static boolean same(Object bound, Object wrapped) {
    if (bound == wrapped) {
      return true;
    }
    if (bound instanceof DataSource ds) {
      try {
        return ds.isWrapperFor(wrapped.getClass()) && ds.unwrap(wrapped.getClass()) == wrapped;
      } catch (SQLException | RuntimeException e) {
        return false;
      }
    }
    return false;
  }

  /** {@code data-source} or {@code xa-data-source} for the resource of a datasource, else null. */
  private static String kind(ObjectName n) {
    for (String k : KINDS) {
      if (n.getKeyProperty(k) != null && n.getKeyPropertyList().size() <= 4) {
        return k;
      }
    }
    return null;
  }

  private static Object attribute(ObjectName n, String name) {
    try {
      return ManagementFactory.getPlatformMBeanServer().getAttribute(n, name);
    } catch (JMException | RuntimeException e) {
      return null; // removed since, or an attribute this WildFly names otherwise
    }
  }

  private static double number(Object v) {
    return v instanceof Number n ? n.doubleValue() : -1;
  }
}
