package dev.lookout.jdbc.internal;

import dev.lookout.filters.internal.FailOpen;
import dev.lookout.filters.internal.LookoutRuntime;
import dev.lookout.filters.internal.RequestObservation;
import dev.lookout.filters.internal.pipeline.CurrentRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.message.StringMapMessage;

/**
 * Lookout's database telemetry for one web application: metrics in the runtime's registry, spans
 * from its tracer, the slow-query and repeated-query log events. Bound lazily to the running
 * {@link LookoutRuntime} (a DataSource may be built before it starts) and released at undeploy.
 * Internal.
 */
public final class DbTelemetry {

  static final String SCOPE = "dev.lookout.jdbc";
  public static final String LOGGER_NAME = "lookout.db";
  /** Events with this marker are kept by Lookout's log sampling, like errors (docs/contracts.md). */
  static final Marker KEEP = MarkerManager.getMarker("LOOKOUT_KEEP");

  static final String OTHER = "OTHER";
  static final double[] QUERY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  static final double[] WAIT_BUCKETS = {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10};

  static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
  static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> DB_COLLECTION_NAME = AttributeKey.stringKey("db.collection.name");
  static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<Long> DB_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
  static final AttributeKey<String> DB_RESPONSE_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
  static final AttributeKey<Long> DB_AFFECTED_ROWS = AttributeKey.longKey("db.response.affected_rows");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> POOL_NAME = AttributeKey.stringKey("db.client.connection.pool.name");

  private static final Logger LOG = LogManager.getLogger(LOGGER_NAME);
  private static final Logger LOOKOUT_LOG = LogManager.getLogger("lookout");

  /** One per runtime; nearly always a single entry (one per web application class loader). */
  private static final Map<LookoutRuntime, DbTelemetry> BOUND = new ConcurrentHashMap<>();
  /** The telemetry of the last runtime seen: the common case costs one reference comparison. */
  private static volatile DbTelemetry last;

  final LookoutRuntime runtime;
  final DbSettings settings;
  final Tracer tracer; // null: no spans (tracing off, or the agent makes them)
  private final PrometheusRegistry registry;
  private final Histogram duration;
  private final Counter queries;
  private final Histogram wait;
  private final Counter tableOverflow;
  private final List<Collector> collectors = new ArrayList<>();
  private final ConcurrentHashMap<String, Series> series = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Boolean> admittedTables = new ConcurrentHashMap<>();
  private final AtomicInteger admittedCount = new AtomicInteger();
  private final AtomicBoolean overflowWarned = new AtomicBoolean();
  private final ConcurrentHashMap<Pool, DistributionDataPoint> waitByPool = new ConcurrentHashMap<>();
  final SlowQueryLimiter slowLimiter;

  private DbTelemetry(LookoutRuntime runtime, DbSettings settings) {
    this.runtime = runtime;
    this.settings = settings;
    this.registry = runtime.registry();
    this.tracer = settings.enabled() ? runtime.tracer(SCOPE) : null;
    this.slowLimiter = new SlowQueryLimiter(settings.slowLogPerMinute());
    this.duration =
        Histogram.builder()
            .name("db_query_duration_seconds")
            .help("Duration of JDBC statement executions, by SQL operation and first table")
            .unit(Unit.SECONDS)
            .labelNames("operation", "table")
            .classicOnly()
            .classicUpperBounds(QUERY_BUCKETS)
            .build();
    this.queries =
        Counter.builder()
            .name("db_queries_total")
            .help("JDBC statement executions, by SQL operation, first table and outcome (ok or error)")
            .labelNames("operation", "table", "outcome")
            .build();
    this.wait =
        Histogram.builder()
            .name("db_connection_wait_seconds")
            .help("Time spent obtaining a connection (waiting for the pool, or connecting), by pool")
            .unit(Unit.SECONDS)
            .labelNames("pool")
            .classicOnly()
            .classicUpperBounds(WAIT_BUCKETS)
            .build();
    this.tableOverflow =
        Counter.builder()
            .name("lookout_db_table_overflow_total")
            .help("Statements whose table label became OTHER because lookout.db.table-limit was reached")
            .build();
    collectors.add(duration);
    collectors.add(queries);
    collectors.add(wait);
    collectors.add(tableOverflow);
    collectors.add(
        GaugeWithCallback.builder()
            .name("db_connections_active")
            .help("Connections the application holds now (obtained and not yet closed), by pool")
            .labelNames("pool")
            .callback(cb -> Pools.forEach(p -> cb.call(p.active.get(), p.name)))
            .build());
    collectors.add(
        GaugeWithCallback.builder()
            .name("db_connections_max")
            .help("Most connections the pool may open, from the pool's own API (known pools only)")
            .labelNames("pool")
            .callback(cb -> Pools.forEach(p -> statIfKnown(cb, p, p.stats == null ? -1 : p.stats.max())))
            .build());
    collectors.add(
        GaugeWithCallback.builder()
            .name("db_connections_idle")
            .help("Idle connections in the pool now, from the pool's own API (known pools only)")
            .labelNames("pool")
            .callback(cb -> Pools.forEach(p -> statIfKnown(cb, p, p.stats == null ? -1 : p.stats.idle())))
            .build());
  }

  private static void statIfKnown(GaugeWithCallback.Callback cb, Pool p, double value) {
    if (value >= 0) {
      cb.call(value, p.name);
    }
  }

  /**
   * The telemetry of the running web application, or null when there is none (not started,
   * undeployed, switched off): then nothing is recorded and nothing fails.
   */
  static DbTelemetry current() {
    LookoutRuntime runtime;
    try {
      runtime = LookoutRuntime.current();
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
    if (runtime == null) {
      return null;
    }
    DbTelemetry t = last;
    if (t == null || t.runtime != runtime) {
      t = BOUND.get(runtime);
      if (t == null) {
        try {
          t = bind(runtime);
        } catch (RuntimeException e) {
          FailOpen.report("starting the database telemetry", e);
          return null;
        }
      }
      last = t;
    }
    return t.settings.enabled() ? t : null;
  }

  /**
   * Reads the settings and registers the metrics of a runtime, once. Called at startup by
   * {@link DbStartupListener}, so that a bad {@code lookout.db.*} value fails the deployment.
   */
  public static synchronized DbTelemetry bind(LookoutRuntime runtime) {
    DbTelemetry t = BOUND.get(runtime);
    if (t != null) {
      return t;
    }
    DbSettings settings = DbSettings.from(runtime.config());
    t = new DbTelemetry(runtime, settings);
    if (settings.enabled()) {
      t.register();
    }
    BOUND.put(runtime, t);
    DbTelemetry bound = t;
    runtime.onClose(bound::close);
    return t;
  }

  private void register() {
    List<Collector> done = new ArrayList<>();
    try {
      for (Collector c : collectors) {
        registry.register(c);
        done.add(c);
      }
    } catch (RuntimeException e) {
      done.forEach(registry::unregister);
      throw e;
    }
  }

  private void close() {
    BOUND.remove(runtime);
    if (last == this) {
      last = null;
    }
    if (settings.enabled()) {
      for (Collector c : collectors) {
        try {
          registry.unregister(c);
        } catch (RuntimeException e) {
          // already gone
        }
      }
    }
    DriverSupport.deregisterOwnDrivers();
  }

  // ---- per statement ---------------------------------------------------------------------

  /** Starts the CLIENT span of a statement, child of the current span; null without a tracer. */
  Span startSpan(Pool pool, SqlInfo info, int batchSize) {
    if (tracer == null) {
      return null;
    }
    try {
      boolean prefix = batchSize > 0 && info != SqlInfo.MIXED_BATCH;
      String name = prefix ? "BATCH " + info.spanName : info.spanName;
      SpanBuilder b = tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT);
      Pool.Database db = pool.database();
      if (db != null) {
        b.setAttribute(DB_SYSTEM_NAME, db.system);
        if (db.namespace != null) {
          b.setAttribute(DB_NAMESPACE, db.namespace);
        }
        if (db.serverAddress != null) {
          b.setAttribute(SERVER_ADDRESS, db.serverAddress);
          if (db.serverPort > 0) {
            b.setAttribute(SERVER_PORT, (long) db.serverPort);
          }
        }
      }
      if (info.spanOperation != null) {
        b.setAttribute(DB_OPERATION_NAME, prefix ? "BATCH " + info.spanOperation : info.spanOperation);
      }
      if (info.collection != null) {
        b.setAttribute(DB_COLLECTION_NAME, info.collection);
      }
      b.setAttribute(DB_QUERY_TEXT, info.text);
      b.setAttribute(POOL_NAME, pool.name);
      if (batchSize > 1) {
        b.setAttribute(DB_BATCH_SIZE, (long) batchSize);
      }
      return b.startSpan();
    } catch (RuntimeException | LinkageError e) {
      FailOpen.report("starting a database span", e);
      return null;
    }
  }

  /** A span around commit or rollback, when switched on. */
  Span startTransactionSpan(Pool pool, String operation) {
    if (tracer == null || !settings.transactionSpans()) {
      return null;
    }
    return startSpan(pool, new SqlInfo(operation, operation, "", null, operation, operation), 0);
  }

  /**
   * Records one finished execution: metrics (with the span current, for the exemplar), the
   * request's counters, the slow-query and repeated-query events, and ends the span. Never throws.
   *
   * @param rows rows affected as the driver reported them, or -1
   * @param failure the driver's exception, or null
   */
  void record(Pool pool, SqlInfo info, long nanos, long rows, Throwable failure, Span span) {
    try {
      Series s = info.series;
      if (s == null || s.owner != this) {
        s = series(info);
        info.series = s;
      }
      (failure == null ? s.ok : s.error).inc();
      s.duration.observe(nanos / 1e9);

      RequestObservation request = CurrentRequest.get();
      if (request != null) {
        int repeats = request.db().recordStatement(info.text, nanos);
        int threshold = settings.repeatedThreshold();
        if (threshold > 0 && repeats == threshold + 1) {
          repeatedQuery(pool, info, s, repeats);
        }
      }
      long slow = settings.slowNanos();
      if (slow > 0 && nanos >= slow) {
        slowQuery(pool, info, s, nanos, failure);
      }
    } catch (Throwable t) {
      FailOpen.report("recording a database statement", t);
    }
    if (span != null) {
      endSpan(span, rows, failure);
    }
  }

  static void endSpan(Span span, long rows, Throwable failure) {
    try {
      if (rows >= 0) {
        span.setAttribute(DB_AFFECTED_ROWS, rows);
      }
      if (failure != null) {
        String type = errorType(failure);
        span.setAttribute(ERROR_TYPE, type);
        if (failure instanceof SQLException e && e.getSQLState() != null) {
          span.setAttribute(DB_RESPONSE_STATUS_CODE, e.getSQLState());
        }
        span.setStatus(StatusCode.ERROR, type);
      }
      span.end();
    } catch (Throwable t) {
      FailOpen.report("ending a database span", t);
    }
  }

  /** The SQLState class (its first two characters) when the driver gives one, else the exception class. */
  static String errorType(Throwable failure) {
    if (failure instanceof SQLException e) {
      String state = e.getSQLState();
      if (state != null && state.length() >= 2) {
        return state.substring(0, 2);
      }
    }
    return failure.getClass().getName();
  }

  /** Time spent in getConnection, and the connection now held. */
  void connectionObtained(Pool pool, long nanos) {
    try {
      DistributionDataPoint dp = waitByPool.get(pool);
      if (dp == null) {
        dp = waitByPool.computeIfAbsent(pool, p -> wait.labelValues(p.name));
      }
      dp.observe(nanos / 1e9);
    } catch (Throwable t) {
      FailOpen.report("recording a connection wait", t);
    }
  }

  private Series series(SqlInfo info) {
    String table = admitTable(info.table);
    String key = info.operation + '\u0000' + table;
    Series s = series.get(key);
    return s != null ? s : series.computeIfAbsent(key, k -> new Series(this, info.operation, table));
  }

  private String admitTable(String table) {
    if (table.isEmpty() || admittedTables.containsKey(table)) {
      return table;
    }
    while (true) {
      int n = admittedCount.get();
      if (n >= settings.tableLimit()) {
        tableOverflow.inc();
        if (overflowWarned.compareAndSet(false, true)) {
          LOOKOUT_LOG.warn(
              "Lookout: more than {} distinct table label values; further ones are recorded as OTHER"
                  + " and counted in lookout_db_table_overflow_total (setting lookout.db.table-limit)",
              settings.tableLimit());
        }
        return OTHER;
      }
      if (admittedCount.compareAndSet(n, n + 1)) {
        if (admittedTables.putIfAbsent(table, Boolean.TRUE) != null) {
          admittedCount.decrementAndGet();
        }
        return table;
      }
    }
  }

  private void slowQuery(Pool pool, SqlInfo info, Series s, long nanos, Throwable failure) {
    long skipped = slowLimiter.tryAcquire();
    if (skipped < 0 || !LOG.isWarnEnabled(KEEP)) {
      return;
    }
    StringMapMessage m = new StringMapMessage(8);
    m.with("event", "slow_query");
    m.with("statement", info.text);
    m.with("operation", s.operation);
    m.with("table", s.table);
    m.with("duration_ms", nanos / 1_000_000L);
    m.with("pool", pool.name);
    if (failure != null) {
      m.with("error_type", errorType(failure));
    }
    if (skipped > 0) {
      m.with("slow_queries_not_logged", skipped);
    }
    LOG.warn(KEEP, m);
  }

  private void repeatedQuery(Pool pool, SqlInfo info, Series s, int count) {
    StringMapMessage m = new StringMapMessage(6);
    m.with("event", "db_repeated_query");
    m.with("statement", info.text);
    m.with("count", count);
    m.with("operation", s.operation);
    m.with("table", s.table);
    m.with("pool", pool.name);
    LOG.warn(m);
  }

  /** The data points of one (operation, table). */
  static final class Series {
    final DbTelemetry owner;
    final String operation;
    final String table;
    final DistributionDataPoint duration;
    final CounterDataPoint ok;
    final CounterDataPoint error;

    Series(DbTelemetry owner, String operation, String table) {
      this.owner = owner;
      this.operation = operation;
      this.table = table;
      this.duration = owner.duration.labelValues(operation, table);
      this.ok = owner.queries.labelValues(operation, table, "ok");
      this.error = owner.queries.labelValues(operation, table, "error");
    }
  }
}
