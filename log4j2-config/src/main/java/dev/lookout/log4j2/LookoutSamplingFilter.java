package dev.lookout.log4j2;

import dev.lookout.log4j2.internal.DropCounters;
import dev.lookout.log4j2.internal.RequestBuffers;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.ObjectMessage;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Lookout's sampling filter: keeps every ERROR, a share of WARN and INFO decided once per request
 * (so a request is logged fully or not at all), caps INFO per second, keeps a repeated message once
 * per window, and holds what it drops from a request until the request's end, writing it if the
 * request fails. Configure it as the global filter:
 *
 * <pre>{@code
 * <Configuration>
 *   <LookoutSampling warnRate="0.5" infoRate="0.1" debugRate="0" infoPerSecond="100"
 *                    duplicateWindowSeconds="60" requestBufferBytes="65536" totalBufferBytes="16777216"/>
 *   ...
 * }</pre>
 *
 * <p>The per-request decision comes from the log context ({@code trace_id}, else {@code
 * request_id}); a request whose trace is sampled ({@code trace_flags=01}) or that carries {@code
 * log_all=true} keeps every event. Events that the logger's level already disables are never
 * counted. Dropping an event outside a request costs no allocation and no lock.
 */
@Plugin(name = "LookoutSampling", category = Node.CATEGORY, elementType = Filter.ELEMENT_TYPE, printObject = true)
public final class LookoutSamplingFilter extends AbstractFilter {

  /** The logger of lookout-filters' access events (AccessLog.LOGGER_NAME there). */
  static final String ACCESS_LOGGER = "lookout.access";

  /** Logger of the periodic summary; never sampled. */
  public static final String SUMMARY_LOGGER = "lookout.sampling";

  private static final int KEEP = 0;
  private static final int DROP = 1;
  private static final int BUFFER = 2;
  private static final int DUPLICATE_SLOTS = 4096;

  private static volatile LookoutSamplingFilter current;

  private final double warnRate;
  private final double infoRate;
  private final double debugRate;
  private final long infoEmissionNanos; // 0: no rate limit
  private final long infoBurstNanos;
  private final long duplicateWindowNanos; // 0: off
  private final long summaryIntervalSeconds;
  private final RequestBuffers buffers; // null: no buffering
  private final AtomicLong infoTheoreticalArrival = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLongArray duplicateKeys = new AtomicLongArray(DUPLICATE_SLOTS);
  private final AtomicLongArray duplicateTimes = new AtomicLongArray(DUPLICATE_SLOTS);
  private volatile LongSupplier nanoClock = System::nanoTime;
  private ScheduledExecutorService summary;

  private LookoutSamplingFilter(Builder b) {
    super(Result.NEUTRAL, Result.DENY);
    this.warnRate = b.warnRate;
    this.infoRate = b.infoRate;
    this.debugRate = b.debugRate;
    this.infoEmissionNanos = b.infoPerSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / b.infoPerSecond;
    this.infoBurstNanos = b.infoPerSecond <= 0 ? 0 : (b.infoPerSecond - 1) * infoEmissionNanos;
    this.duplicateWindowNanos = TimeUnit.SECONDS.toNanos(Math.max(0, b.duplicateWindowSeconds));
    this.summaryIntervalSeconds = b.summaryIntervalSeconds;
    this.buffers =
        b.requestBufferBytes > 0 && b.totalBufferBytes > 0
            ? new RequestBuffers(b.requestBufferBytes, b.totalBufferBytes)
            : null;
  }

  @PluginBuilderFactory
  public static Builder newBuilder() {
    return new Builder();
  }

  /** The filter of the running configuration in this class loader, or null. */
  static LookoutSamplingFilter current() {
    return current;
  }

  /** For tests: a clock to drive the rate limit and the duplicate window. */
  void setNanoClock(LongSupplier clock) {
    this.nanoClock = clock;
  }

  RequestBuffers buffers() {
    return buffers;
  }

  @Override
  public void start() {
    super.start();
    current = this;
    if (summaryIntervalSeconds > 0) {
      summary =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "lookout-log-summary");
                t.setDaemon(true);
                return t;
              });
      Object[] last = {DropCounters.snapshot()};
      summary.scheduleAtFixedRate(
          () -> {
            try {
              Map<String, Map<String, Long>> now = DropCounters.snapshot();
              @SuppressWarnings("unchecked")
              String text = describeDrops(now, (Map<String, Map<String, Long>>) last[0]);
              last[0] = now;
              if (!text.isEmpty()) {
                LogManager.getLogger(SUMMARY_LOGGER)
                    .warn("Log events dropped by sampling in the last {} s: {}", summaryIntervalSeconds, text);
              }
            } catch (RuntimeException e) {
              StatusLogger.getLogger().warn("Lookout sampling summary failed", e);
            }
          },
          summaryIntervalSeconds,
          summaryIntervalSeconds,
          TimeUnit.SECONDS);
    }
  }

  @Override
  public boolean stop(long timeout, TimeUnit timeUnit) {
    if (current == this) {
      current = null;
    }
    stopSummary();
    return super.stop(timeout, timeUnit);
  }

  /** Stops the summary thread (undeploy, or the configuration stopping). */
  void stopSummary() {
    ScheduledExecutorService s = summary;
    if (s != null) {
      s.shutdownNow();
    }
  }

  /** The change between two snapshots, e.g. {@code INFO sampled=120, WARN duplicate=3}. */
  static String describeDrops(Map<String, Map<String, Long>> now, Map<String, Map<String, Long>> before) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Map<String, Long>> level : now.entrySet()) {
      for (Map.Entry<String, Long> reason : level.getValue().entrySet()) {
        long prev = before.getOrDefault(level.getKey(), Map.of()).getOrDefault(reason.getKey(), 0L);
        long delta = reason.getValue() - prev;
        if (delta > 0) {
          if (sb.length() > 0) {
            sb.append(", ");
          }
          sb.append(level.getKey()).append(' ').append(reason.getKey()).append('=').append(delta);
        }
      }
    }
    return sb.toString();
  }

  // ---- the decision --------------------------------------------------------------------------

  /** Keep, drop or buffer. Allocation-free: reads the log context, mixes cached string hashes, updates atomics. */
  private int decide(Logger logger, Level level, String template) {
    if (!level.isMoreSpecificThan(logger.getLevel())) {
      return KEEP; // the level check that follows rejects it: not ours to count
    }
    int severity = level.intLevel();
    String requestId = ThreadContext.get("request_id");
    if (severity <= Level.ERROR.intLevel()) {
      if (requestId != null && buffers != null) {
        buffers.requestFailed(requestId);
      }
      return KEEP;
    }
    if ("true".equals(ThreadContext.get("log_all")) || SUMMARY_LOGGER.equals(logger.getName())) {
      return KEEP;
    }
    String traceId = ThreadContext.get("trace_id");
    String key = traceId != null ? traceId : requestId;
    boolean keep;
    if (key != null) {
      if (requestId != null && buffers != null && buffers.hasFailed(requestId)) {
        return KEEP;
      }
      keep =
          (traceId != null && "01".equals(ThreadContext.get("trace_flags")))
              || unit(key.hashCode()) < rate(severity);
    } else {
      keep = ThreadLocalRandom.current().nextDouble() < rate(severity);
    }
    int reason = DropCounters.SAMPLED;
    if (keep) {
      if (severity == Level.INFO.intLevel() && !acquireInfo()) {
        keep = false;
        reason = DropCounters.RATE_LIMITED;
      } else if (isDuplicate(logger, severity, template, key)) {
        keep = false;
        reason = DropCounters.DUPLICATE;
      }
    }
    if (keep) {
      return KEEP;
    }
    if (requestId != null && buffers != null && reason != DropCounters.DUPLICATE) {
      return BUFFER; // counted when the request ends well and its buffer is discarded
    }
    DropCounters.count(level, reason);
    return DROP;
  }

  private double rate(int severity) {
    if (severity <= Level.WARN.intLevel()) {
      return warnRate;
    }
    if (severity <= Level.INFO.intLevel()) {
      return infoRate;
    }
    return debugRate;
  }

  /** A well-mixed value in [0, 1) from a string hash (MurmurHash3's finaliser). */
  static double unit(int hash) {
    long h = hash & 0xFFFFFFFFL;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53;
  }

  /** A token bucket of {@code infoPerSecond} tokens refilled continuously (GCRA): lock-free. */
  private boolean acquireInfo() {
    if (infoEmissionNanos == 0) {
      return true;
    }
    long now = nanoClock.getAsLong();
    while (true) {
      long tat = infoTheoreticalArrival.get();
      long start = tat == Long.MIN_VALUE || tat - now < 0 ? now : tat;
      if (start - now > infoBurstNanos) {
        return false;
      }
      if (infoTheoreticalArrival.compareAndSet(tat, start + infoEmissionNanos)) {
        return true;
      }
    }
  }

  /**
   * Whether the same message (logger, level, template; within a request, that request) was kept
   * within the window. A fixed table of slots keeps memory bounded whatever the number of distinct
   * messages; a collision can only let a repeat through early, never hide a new message.
   */
  private boolean isDuplicate(Logger logger, int severity, String template, String requestKey) {
    if (duplicateWindowNanos == 0 || template == null) {
      return false;
    }
    long k = 0x9E3779B97F4A7C15L;
    k = (k ^ logger.getName().hashCode()) * 0xff51afd7ed558ccdL;
    k = (k ^ template.hashCode()) * 0xc4ceb9fe1a85ec53L;
    k = (k ^ severity) * 0xff51afd7ed558ccdL;
    if (requestKey != null) {
      k = (k ^ requestKey.hashCode()) * 0xc4ceb9fe1a85ec53L;
    }
    k ^= k >>> 29;
    if (k == 0) {
      k = 1;
    }
    int slot = (int) (k & (DUPLICATE_SLOTS - 1));
    long now = nanoClock.getAsLong();
    if (duplicateKeys.get(slot) == k && now - duplicateTimes.get(slot) < duplicateWindowNanos) {
      return true;
    }
    duplicateTimes.set(slot, now);
    duplicateKeys.set(slot, k);
    return false;
  }

  private void buffer(Logger logger, Level level, Marker marker, Message message, Throwable thrown) {
    String requestId = ThreadContext.get("request_id");
    if (requestId == null || buffers == null) {
      return;
    }
    try {
      // A copy that cannot change: the message formatted now, the context as it is now.
      Message frozen =
          message instanceof ParameterizedMessage || message instanceof ObjectMessage
              ? new SimpleMessage(message.getFormattedMessage())
              : message;
      LogEvent event =
          Log4jLogEvent.newBuilder()
              .setLoggerName(logger.getName())
              .setLoggerFqcn(Logger.class.getName())
              .setLevel(level)
              .setMarker(marker)
              .setMessage(frozen)
              .setThrown(thrown)
              .setContextData(ContextDataFactory.createContextData(ThreadContext.getImmutableContext()))
              .setContextStack(ThreadContext.getImmutableStack())
              .setThreadName(Thread.currentThread().getName())
              .setTimeMillis(System.currentTimeMillis())
              .build();
      buffers.add(requestId, logger.get(), event);
    } catch (RuntimeException e) {
      StatusLogger.getLogger().warn("Lookout could not buffer a log event", e);
    }
  }

  private static Throwable throwableOf(Object last) {
    return last instanceof Throwable ? (Throwable) last : null;
  }

  // ---- every entry point Log4j calls; the fixed-arity ones build no varargs array -----------

  @Override
  public Result filter(LogEvent event) {
    return Result.NEUTRAL; // decided before the event was created (global filter)
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final String msg, final Object... params) {
    final int d = decide(logger, level, msg);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      Throwable t = params == null || params.length == 0 ? null : throwableOf(params[params.length - 1]);
      buffer(logger, level, marker, new ParameterizedMessage(msg, params), t);
    }
    return Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final Object msg, final Throwable t) {
    final int d = decide(logger, level, null);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, msg instanceof Message ? (Message) msg : new ObjectMessage(msg), t);
    }
    return Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final Message msg, final Throwable t) {
    final int d = decide(logger, level, msg == null ? null : msg.getFormat());
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      int status = completionStatus(logger, msg);
      if (status == 0) {
        buffer(logger, level, marker, msg, t);
      } else if (status >= 500) {
        return Result.NEUTRAL; // the request's end writes its buffer now: this line belongs with it
      } else {
        // The request's last line: its end follows at once and would only discard a copy.
        DropCounters.count(level, DropCounters.SAMPLED);
      }
    }
    return Result.DENY;
  }

  /**
   * The status of Lookout's {@code request_completed} access event (the last event of a request),
   * or 0 for any other event.
   */
  static int completionStatus(Logger logger, Message msg) {
    if (!(msg instanceof MapMessage) || !ACCESS_LOGGER.equals(logger.getName())) {
      return 0;
    }
    org.apache.logging.log4j.util.IndexedReadOnlyStringMap data = ((MapMessage<?, ?>) msg).getIndexedReadOnlyStringMap();
    if (!"request_completed".equals(data.getValue("event"))) {
      return 0;
    }
    Object status = data.getValue("status");
    if (status instanceof Number) {
      return Math.max(1, ((Number) status).intValue());
    }
    if (status instanceof String) {
      try {
        return Math.max(1, Integer.parseInt((String) status));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  @Override
  public Result filter(final Logger logger, final Level level, final Marker marker, final String msg) {
    final int d = decide(logger, level, msg);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, new SimpleMessage(msg), null);
    }
    return Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final String msg, final Object p0) {
    final int d = decide(logger, level, msg);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, new ParameterizedMessage(msg, new Object[] {p0}), throwableOf(p0));
    }
    return Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final String msg, final Object p0, final Object p1) {
    final int d = decide(logger, level, msg);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, new ParameterizedMessage(msg, new Object[] {p0, p1}), throwableOf(p1));
    }
    return Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final String msg, final Object p0, final Object p1, final Object p2) {
    final int d = decide(logger, level, msg);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, new ParameterizedMessage(msg, new Object[] {p0, p1, p2}), throwableOf(p2));
    }
    return Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final String msg, final Object p0, final Object p1, final Object p2, final Object p3) {
    final int d = decide(logger, level, msg);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, new ParameterizedMessage(msg, new Object[] {p0, p1, p2, p3}), throwableOf(p3));
    }
    return Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final String msg, final Object p0, final Object p1, final Object p2, final Object p3, final Object p4) {
    final int d = decide(logger, level, msg);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, new ParameterizedMessage(msg, new Object[] {p0, p1, p2, p3, p4}), throwableOf(p4));
    }
    return Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final String msg, final Object p0, final Object p1, final Object p2, final Object p3, final Object p4, final Object p5) {
    final int d = decide(logger, level, msg);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, new ParameterizedMessage(msg, new Object[] {p0, p1, p2, p3, p4, p5}), throwableOf(p5));
    }
    return Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final String msg, final Object p0, final Object p1, final Object p2, final Object p3, final Object p4, final Object p5, final Object p6) {
    final int d = decide(logger, level, msg);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, new ParameterizedMessage(msg, new Object[] {p0, p1, p2, p3, p4, p5, p6}), throwableOf(p6));
    }
    return Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final String msg, final Object p0, final Object p1, final Object p2, final Object p3, final Object p4, final Object p5, final Object p6, final Object p7) {
    final int d = decide(logger, level, msg);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, new ParameterizedMessage(msg, new Object[] {p0, p1, p2, p3, p4, p5, p6, p7}), throwableOf(p7));
    }
    return Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final String msg, final Object p0, final Object p1, final Object p2, final Object p3, final Object p4, final Object p5, final Object p6, final Object p7, final Object p8) {
    final int d = decide(logger, level, msg);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, new ParameterizedMessage(msg, new Object[] {p0, p1, p2, p3, p4, p5, p6, p7, p8}), throwableOf(p8));
    }
    return Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final String msg, final Object p0, final Object p1, final Object p2, final Object p3, final Object p4, final Object p5, final Object p6, final Object p7, final Object p8, final Object p9) {
    final int d = decide(logger, level, msg);
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, new ParameterizedMessage(msg, new Object[] {p0, p1, p2, p3, p4, p5, p6, p7, p8, p9}), throwableOf(p9));
    }
    return Result.DENY;
  }

  @Override
  public String toString() {
    return "LookoutSampling[warnRate=" + warnRate + ", infoRate=" + infoRate + ", debugRate=" + debugRate + "]";
  }

  /** Builds the filter from its XML attributes; every number has a default and is checked. */
  public static final class Builder implements org.apache.logging.log4j.core.util.Builder<LookoutSamplingFilter> {
    @PluginBuilderAttribute private double warnRate = 0.5;
    @PluginBuilderAttribute private double infoRate = 0.1;
    @PluginBuilderAttribute private double debugRate = 0;
    @PluginBuilderAttribute private long infoPerSecond = 100;
    @PluginBuilderAttribute private long duplicateWindowSeconds = 60;
    @PluginBuilderAttribute private long requestBufferBytes = 65_536;
    @PluginBuilderAttribute private long totalBufferBytes = 16L * 1024 * 1024;
    @PluginBuilderAttribute private long summaryIntervalSeconds = 60;

    public Builder setWarnRate(double v) {
      warnRate = v;
      return this;
    }

    public Builder setInfoRate(double v) {
      infoRate = v;
      return this;
    }

    public Builder setDebugRate(double v) {
      debugRate = v;
      return this;
    }

    public Builder setInfoPerSecond(long v) {
      infoPerSecond = v;
      return this;
    }

    public Builder setDuplicateWindowSeconds(long v) {
      duplicateWindowSeconds = v;
      return this;
    }

    public Builder setRequestBufferBytes(long v) {
      requestBufferBytes = v;
      return this;
    }

    public Builder setTotalBufferBytes(long v) {
      totalBufferBytes = v;
      return this;
    }

    public Builder setSummaryIntervalSeconds(long v) {
      summaryIntervalSeconds = v;
      return this;
    }

    @Override
    public LookoutSamplingFilter build() {
      check("warnRate", warnRate);
      check("infoRate", infoRate);
      check("debugRate", debugRate);
      if (infoPerSecond < 0
          || duplicateWindowSeconds < 0
          || requestBufferBytes < 0
          || totalBufferBytes < 0
          || summaryIntervalSeconds < 0) {
        throw new IllegalArgumentException(
            "LookoutSampling: infoPerSecond, duplicateWindowSeconds, requestBufferBytes, totalBufferBytes"
                + " and summaryIntervalSeconds must be 0 (off) or positive");
      }
      return new LookoutSamplingFilter(this);
    }

    private static void check(String name, double rate) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("LookoutSampling: " + name + " must be between 0 and 1, was " + rate);
      }
    }
  }
}
