package dev.lookout.log4j2;

import dev.lookout.log4j2.internal.ContextKeys;
import dev.lookout.log4j2.internal.DropCounters;
import dev.lookout.log4j2.internal.RequestState;
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
 * <p>The per-request decision is made once, when {@code lookout-filters} reports the request's
 * start ({@link RequestLogHooks}): by the hash of the trace ID (else the request ID), and every
 * event is kept for a forced request ({@code log_all}) or one whose sampled trace is exported. On
 * a thread that carries no request, the log context's IDs decide. Events marked {@value
 * #KEEP_MARKER} are kept like errors. Events that the logger's level already disables are never
 * counted. Dropping an event costs no allocation and no lock.
 */
@Plugin(name = "LookoutSampling", category = Node.CATEGORY, elementType = Filter.ELEMENT_TYPE, printObject = true)
public final class LookoutSamplingFilter extends AbstractFilter {

  /** Logger of the periodic summary; never sampled. */
  public static final String SUMMARY_LOGGER = "lookout.sampling";

  /** Events with this marker are kept like errors (e.g. a slow-query report). */
  public static final String KEEP_MARKER = "LOOKOUT_KEEP";

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
  private final long requestBufferBytes; // 0: no buffering
  private final long totalBufferBytes;
  private final AtomicLong infoTheoreticalArrival = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLongArray duplicateKeys = new AtomicLongArray(DUPLICATE_SLOTS);
  private final AtomicLongArray duplicateTimes = new AtomicLongArray(DUPLICATE_SLOTS);
  private volatile LongSupplier nanoClock = System::nanoTime;
  private volatile ScheduledExecutorService summary; // stopped from the undeploying thread

  private LookoutSamplingFilter(Builder b) {
    super(Result.NEUTRAL, Result.DENY);
    this.warnRate = b.warnRate;
    this.infoRate = b.infoRate;
    this.debugRate = b.debugRate;
    this.infoEmissionNanos = b.infoPerSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / b.infoPerSecond;
    this.infoBurstNanos = b.infoPerSecond <= 0 ? 0 : (b.infoPerSecond - 1) * infoEmissionNanos;
    this.duplicateWindowNanos = TimeUnit.SECONDS.toNanos(Math.max(0, b.duplicateWindowSeconds));
    this.summaryIntervalSeconds = b.summaryIntervalSeconds;
    boolean buffering = b.requestBufferBytes > 0 && b.totalBufferBytes > 0;
    this.requestBufferBytes = buffering ? b.requestBufferBytes : 0;
    this.totalBufferBytes = buffering ? b.totalBufferBytes : 0;
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

  /**
   * The state of a request that starts now: its sample decided once, by {@code samplingKey}'s
   * hash (the trace ID, else the request ID), so that a request is logged fully or not at all and
   * services that share a trace make the same decision.
   */
  RequestState newRequest(String requestId, String samplingKey, boolean keepAll) {
    String key = samplingKey != null ? samplingKey : requestId;
    double u = key == null ? ThreadLocalRandom.current().nextDouble() : unit(key.hashCode());
    int kept = (u < warnRate ? 1 : 0) | (u < infoRate ? 2 : 0) | (u < debugRate ? 4 : 0);
    return new RequestState(requestId, keepAll, kept, requestBufferBytes, totalBufferBytes);
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

  /**
   * Keep, drop or buffer. Allocation-free: reads the request's state (or, on a thread that carries
   * no request, the log context), mixes cached string hashes, updates atomics.
   */
  private int decide(Logger logger, Level level, Marker marker, String template) {
    if (!level.isMoreSpecificThan(logger.getLevel())) {
      return KEEP; // the level check that follows rejects it: not ours to count
    }
    return decide(logger.getName(), level, marker, template, true);
  }

  private int decide(String loggerName, Level level, Marker marker, String template, boolean mayBuffer) {
    int severity = level.intLevel();
    RequestState request = RequestState.current();
    if (severity <= Level.ERROR.intLevel()) {
      if (request != null) {
        request.fail(); // its earlier lines are written first, in order
      }
      return KEEP;
    }
    if ((marker != null && marker.isInstanceOf(KEEP_MARKER)) || SUMMARY_LOGGER.equals(loggerName)) {
      return KEEP;
    }
    if ((request != null && request.failed()) || "true".equals(ThreadContext.get(ContextKeys.LOG_ALL))) {
      return KEEP;
    }
    String key;
    boolean keep;
    if (request != null) {
      key = request.requestId;
      keep = request.keeps(levelIndex(severity)); // the INFO cap still applies to a sampled trace
    } else {      // Work on a thread that carries no request (a copied context, a background task): the same
      // sample by the same key, but nothing to buffer for.
      String traceId = ThreadContext.get(ContextKeys.TRACE_ID);
      key = traceId != null ? traceId : ThreadContext.get(ContextKeys.REQUEST_ID);
      keep = (key != null ? unit(key.hashCode()) : ThreadLocalRandom.current().nextDouble()) < rate(severity);
    }
    int reason = DropCounters.SAMPLED;
    if (keep) {
      if (severity == Level.INFO.intLevel() && !acquireInfo()) {
        keep = false;
        reason = DropCounters.RATE_LIMITED;
      } else if (isDuplicate(loggerName, severity, template, key)) {
        keep = false;
        reason = DropCounters.DUPLICATE;
      }
    }
    if (keep) {
      return KEEP;
    }
    if (mayBuffer && request != null && requestBufferBytes > 0 && reason != DropCounters.DUPLICATE && !request.completing()) {
      return BUFFER; // counted when the request ends well and its buffer is discarded
    }
    DropCounters.count(level, reason);
    return DROP;
  }

  /** Whether an INFO event of this request would be kept now (the request is completing). */
  boolean keepsInfo(RequestState request) {
    return request.failed() || request.keeps(1);
  }

  private static int levelIndex(int severity) {
    if (severity <= Level.WARN.intLevel()) {
      return 0;
    }
    if (severity <= Level.INFO.intLevel()) {
      return 1;
    }
    return 2;
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
  private boolean isDuplicate(String loggerName, int severity, String template, String requestKey) {
    if (duplicateWindowNanos == 0 || template == null || template.isEmpty()) {
      return false; // a map message has no template (its format is ""): two of them are not alike
    }
    long k = 0x9E3779B97F4A7C15L;
    k = (k ^ loggerName.hashCode()) * 0xff51afd7ed558ccdL;
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
    RequestState request = RequestState.current();
    if (request == null) {
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
      request.add(logger.get(), event);
    } catch (RuntimeException e) {
      StatusLogger.getLogger().warn("Lookout could not buffer a log event", e);
    }
  }

  private static Throwable throwableOf(Object last) {
    return last instanceof Throwable ? (Throwable) last : null;
  }

  // ---- every entry point Log4j calls; the fixed-arity ones build no varargs array -----------

  /**
   * On an appender or a logger, where Log4j hands the filter finished events: the same sample,
   * without buffering (there is no logger to replay a buffered event to). As the global filter
   * Log4j decides before events exist and never calls this.
   */
  @Override
  public Result filter(LogEvent event) {
    Message m = event.getMessage();
    int d = decide(event.getLoggerName(), event.getLevel(), event.getMarker(), m == null ? null : m.getFormat(), false);
    return d == KEEP ? Result.NEUTRAL : Result.DENY;
  }

  @Override
  public Result filter(
      final Logger logger, final Level level, final Marker marker, final String msg, final Object... params) {
    final int d = decide(logger, level, marker, msg);
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
    final int d = decide(logger, level, marker, null);
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
    final int d = decide(logger, level, marker, msg == null ? null : msg.getFormat());
    if (d == KEEP) {
      return Result.NEUTRAL;
    }
    if (d == BUFFER) {
      buffer(logger, level, marker, msg, t);
    }
    return Result.DENY;
  }

  @Override
  public Result filter(final Logger logger, final Level level, final Marker marker, final String msg) {
    final int d = decide(logger, level, marker, msg);
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
    final int d = decide(logger, level, marker, msg);
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
    final int d = decide(logger, level, marker, msg);
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
    final int d = decide(logger, level, marker, msg);
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
    final int d = decide(logger, level, marker, msg);
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
    final int d = decide(logger, level, marker, msg);
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
    final int d = decide(logger, level, marker, msg);
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
    final int d = decide(logger, level, marker, msg);
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
    final int d = decide(logger, level, marker, msg);
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
    final int d = decide(logger, level, marker, msg);
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
    final int d = decide(logger, level, marker, msg);
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
