package dev.lookout.jdbc;

import dev.lookout.jdbc.internal.LookoutDataSource;
import dev.lookout.jdbc.internal.Pools;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Observes the statements of a {@link DataSource} the application builds or looks up: query
 * metrics, CLIENT spans, per-request database time, slow-query log and pool saturation
 * (docs/database.md). The configuration-only alternative is the {@code jdbc:lookout:} URL of
 * {@link LookoutDriver}.
 */
public final class LookoutJdbc {

  private LookoutJdbc() {}

  /**
   * Wraps a DataSource; its {@code pool} label is the pool's own name (HikariCP's {@code poolName})
   * or {@code default}. Wrapping an already wrapped DataSource returns it unchanged.
   */
  public static DataSource wrap(DataSource dataSource) {
    return wrap(dataSource, null);
  }

  /**
   * Wraps a DataSource under a {@code pool} label of your choice (e.g. {@code orders}).
   *
   * @param poolName the label value; null or blank: as {@link #wrap(DataSource)}
   */
  public static DataSource wrap(DataSource dataSource, String poolName) {
    Objects.requireNonNull(dataSource, "dataSource");
    if (dataSource instanceof LookoutDataSource) {
      return dataSource;
    }
    return new LookoutDataSource(dataSource, Pools.forDataSource(dataSource, poolName));
  }
}
