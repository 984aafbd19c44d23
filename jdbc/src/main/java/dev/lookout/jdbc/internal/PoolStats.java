package dev.lookout.jdbc.internal;

import java.lang.reflect.Method;
import javax.sql.DataSource;

/**
 * The maximum and idle connection counts of a known pool, read through the pool's own API at scrape
 * time (by reflection: Lookout depends on no pool). Internal.
 */
final class PoolStats {

  private final Object target;
  private final Method max;
  private final Method idle;
  private final Object idleTarget; // the object idle is read from (Hikari: its pool MXBean, found late)
  private final Method idleTargetGetter;

  private PoolStats(Object target, Method max, Method idleTargetGetter, Method idle) {
    this.target = target;
    this.max = max;
    this.idleTargetGetter = idleTargetGetter;
    this.idle = idle;
    this.idleTarget = idleTargetGetter == null ? target : null;
  }

  /** The statistics of a pool Lookout knows, or null. */
  static PoolStats of(DataSource ds) {
    Class<?> c = ds.getClass();
    try {
      for (Class<?> k = c; k != null; k = k.getSuperclass()) {
        switch (k.getName()) {
          case "com.zaxxer.hikari.HikariDataSource": {
            Method mxBean = k.getMethod("getHikariPoolMXBean");
            Method idle = mxBean.getReturnType().getMethod("getIdleConnections");
            return new PoolStats(ds, k.getMethod("getMaximumPoolSize"), mxBean, idle);
          }
          case "org.apache.tomcat.dbcp.dbcp2.BasicDataSource":
          case "org.apache.commons.dbcp2.BasicDataSource":
            return new PoolStats(ds, k.getMethod("getMaxTotal"), null, k.getMethod("getNumIdle"));
          case "org.apache.tomcat.jdbc.pool.DataSourceProxy":
            return new PoolStats(ds, k.getMethod("getMaxActive"), null, k.getMethod("getIdle"));
          default:
            break;
        }
      }
    } catch (NoSuchMethodException | SecurityException e) {
      return null; // a version whose API differs: no pool figures, everything else works
    }
    return null;
  }

  /** The pool's maximum size, or -1. */
  double max() {
    return number(target, max);
  }

  /** The idle connections now, or -1. */
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

  private static double number(Object target, Method m) {
    try {
      Object v = m.invoke(target);
      return v instanceof Number n ? n.doubleValue() : -1;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }
}
