package dev.lookout.jdbc.internal;

import java.lang.reflect.Method;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The maximum and idle connection counts of a known pool, read through the pool's own API at scrape
 * time (by reflection: Lookout depends on no pool), or from WildFly's management model for its
 * datasources ({@link WildFlyPoolStats}). Internal.
 */
abstract class PoolStats {

  /** Pool types that a DataSource may unwrap to, when it is a wrapper of its own. */
  private static final String[] UNWRAP_TO = {
    "io.agroal.api.AgroalDataSource",
    "com.zaxxer.hikari.HikariDataSource",
    "org.apache.tomcat.jdbc.pool.DataSourceProxy",
    "org.apache.tomcat.dbcp.dbcp2.BasicDataSource",
    "org.apache.commons.dbcp2.BasicDataSource"
  };

  /** The pool's maximum size, or -1 when it cannot be read now. */
  abstract double max();

  /** The idle connections now, or -1 when the pool does not tell (or cannot now). */
  abstract double idle();

  /** The statistics of a pool Lookout knows, or null. Never throws. */
  static PoolStats of(DataSource ds) {
    try {
      PoolStats s = direct(ds);
      return s != null ? s : unwrapped(ds);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // a version whose API differs: no pool figures, everything else works
    }
  }

  private static PoolStats direct(Object ds) throws ReflectiveOperationException {
    for (Class<?> k = ds.getClass(); k != null; k = k.getSuperclass()) {
      switch (k.getName()) {
        case "com.zaxxer.hikari.HikariDataSource": {
          Method mxBean = k.getMethod("getHikariPoolMXBean");
          Method idle = mxBean.getReturnType().getMethod("getIdleConnections");
          return new Getters(ds, k.getMethod("getMaximumPoolSize"), mxBean, idle);
        }
        case "org.apache.tomcat.dbcp.dbcp2.BasicDataSource":
        case "org.apache.commons.dbcp2.BasicDataSource":
          return new Getters(ds, k.getMethod("getMaxTotal"), null, k.getMethod("getNumIdle"));
        case "org.apache.tomcat.jdbc.pool.DataSourceProxy":
          return new Getters(ds, k.getMethod("getMaxActive"), null, k.getMethod("getIdle"));
        case "org.jboss.as.connector.subsystems.datasources.WildFlyDataSource":
        case "org.jboss.jca.adapters.jdbc.WrapperDataSource":
          return WildFlyPoolStats.find(ds);
        default:
          break;
      }
    }
    Class<?> agroal = interfaceNamed(ds.getClass(), "io.agroal.api.AgroalDataSource");
    return agroal == null ? null : Agroal.of(ds, agroal);
  }

  /** A wrapper of the application's (or a framework's) whose {@code unwrap} gives a known pool. */
  private static PoolStats unwrapped(DataSource ds) throws ReflectiveOperationException {
    ClassLoader loader = ds.getClass().getClassLoader();
    if (loader == null) {
      return null;
    }
    for (String name : UNWRAP_TO) {
      Class<?> type;
      try {
        type = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        continue; // this pool is not there
      }
      try {
        if (ds.isWrapperFor(type)) {
          Object inner = ds.unwrap(type);
          if (inner != null && inner != ds) {
            return direct(inner);
          }
        }
      } catch (SQLException e) {
        // not a wrapper of this one
      }
    }
    return null;
  }

  private static Class<?> interfaceNamed(Class<?> c, String name) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Class<?> i : k.getInterfaces()) {
        if (i.getName().equals(name)) {
          return i;
        }
        Class<?> deeper = interfaceNamed(i, name);
        if (deeper != null) {
          return deeper;
        }
      }
    }
    return null;
  }

  static double number(Object target, Method m) {
    try {
      Object v = m.invoke(target);
      return v instanceof Number n ? n.doubleValue() : -1;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  /** A pool whose maximum and idle counts are getters (HikariCP, Tomcat's DBCP and JDBC pool). */
  private static final class Getters extends PoolStats {
    private final Object target;
    private final Method max;
    private final Method idle;
    private final Object idleTarget; // the object idle is read from (Hikari: its pool MXBean, found late)
    private final Method idleTargetGetter;

    Getters(Object target, Method max, Method idleTargetGetter, Method idle) {
      this.target = target;
      this.max = max;
      this.idleTargetGetter = idleTargetGetter;
      this.idle = idle;
      this.idleTarget = idleTargetGetter == null ? target : null;
    }

    @Override
    double max() {
      return number(target, max);
    }

    @Override
    double idle() {
      Object t = idleTarget;
      if (t == null) {
        try {
          t = idleTargetGetter.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
          return -1;
        }
        if (t == null) {
          return -1; // Hikari starts its pool lazily
        }
      }
      return number(t, idle);
    }
  }

  /**
   * Agroal ({@code io.agroal.api.AgroalDataSource}: Quarkus, WildFly's datasources-agroal): the
   * maximum from its configuration, the idle connections from its metrics ({@code
   * availableCount}), which Agroal keeps only while its metrics are enabled (they can be switched
   * at run time), so that a disabled pool's zeros are never reported as idle counts.
   */
  private static final class Agroal extends PoolStats {
    private final Object ds;
    private final Method configuration;
    private final Method poolConfiguration;
    private final Method maxSize;
    private final Method metricsEnabled;
    private final Method metrics;
    private final Method available;

    private Agroal(Object ds, Class<?> api) throws NoSuchMethodException {
      this.ds = ds;
      this.configuration = api.getMethod("getConfiguration");
      this.metrics = api.getMethod("getMetrics");
      Class<?> config = configuration.getReturnType();
      this.poolConfiguration = config.getMethod("connectionPoolConfiguration");
      this.metricsEnabled = config.getMethod("metricsEnabled");
      this.maxSize = poolConfiguration.getReturnType().getMethod("maxSize");
      this.available = metrics.getReturnType().getMethod("availableCount");
    }

    static Agroal of(Object ds, Class<?> api) throws NoSuchMethodException {
      return new Agroal(ds, api);
    }

    @Override
    double max() {
      try {
        Object pool = poolConfiguration.invoke(configuration.invoke(ds));
        return number(pool, maxSize);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return -1;
      }
    }

    @Override
    double idle() {
      try {
        if (!Boolean.TRUE.equals(metricsEnabled.invoke(configuration.invoke(ds)))) {
          return -1;
        }
        return number(metrics.invoke(ds), available);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return -1;
      }
    }
  }
}
