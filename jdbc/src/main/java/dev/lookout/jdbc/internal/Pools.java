package dev.lookout.jdbc.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The observed pools of this web application by name, bounded: past the limit further names share
 * the pool {@code OTHER}. Internal.
 */
public final class Pools {

  static final int LIMIT = 32;
  private static final Logger LOG = LogManager.getLogger("lookout");
  private static final ConcurrentHashMap<String, Pool> BY_NAME = new ConcurrentHashMap<>();
  private static final AtomicBoolean overflowWarned = new AtomicBoolean();

  private Pools() {}

  /** The pool of a wrapped DataSource. */
  public static Pool forDataSource(DataSource ds, String name) {
    String n = name != null && !name.isBlank() ? name.trim() : nameOf(ds);
    return get(n, PoolStats.of(ds), null);
  }

  /** The pool of a {@code jdbc:lookout:} URL (its connections come from the driver). */
  static Pool forUrl(String innerUrl) {
    Pool.Database db = Pool.Database.of(innerUrl);
    String name = db.namespace != null ? db.namespace : db.system;
    return get(name, null, innerUrl);
  }

  private static Pool get(String name, PoolStats stats, String url) {
    String n = Pool.cut(name, 64);
    Pool p = BY_NAME.get(n);
    if (p != null) {
      return p;
    }
    if (BY_NAME.size() >= LIMIT) {
      if (overflowWarned.compareAndSet(false, true)) {
        LOG.warn("Lookout: more than {} DataSources observed; further ones share the pool label OTHER", LIMIT);
      }
      n = DbTelemetry.OTHER;
    }
    String key = n;
    return BY_NAME.computeIfAbsent(key, k -> new Pool(k, stats, url));
  }

  static void forEach(Consumer<Pool> action) {
    BY_NAME.values().forEach(action);
  }

  /** A pool's name from its own API (HikariCP's pool name), else {@code default}. */
  static String nameOf(DataSource ds) {
    try {
      java.lang.reflect.Method m = ds.getClass().getMethod("getPoolName");
      Object v = m.invoke(ds);
      if (v instanceof String s && !s.isBlank()) {
        return s;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not a pool that has a name
    }
    return "default";
  }
}
