package dev.lookout.benchmarks;

import dev.lookout.log4j2.internal.errors.ErrorTracking;
import io.sentry.Sentry;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What error tracking costs the application's thread: per request that does not fail (the goal:
 * not measurable), per ERROR event, per failed request, with the real Sentry SDK initialised by
 * the {@code LookoutSentry} appender. {@code off}: no DSN, the appender absent (the default).
 * {@code on}: the endpoint accepts the connection and never answers, so the SDK's sender thread
 * waits (it uses no CPU that the measured thread would lose) and the bounded queue is full:
 * each event costs the caller everything up to the queue, plus the drop. With an answering
 * endpoint, serialising, compressing and sending cost CPU on the SDK's own thread, not latency.
 */
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
public class ErrorTrackingBenchmark {

  @Param({"off", "on"})
  public String sentry;

  private SentryEndpoint endpoint;
  private LoggerContext context;
  private Logger logger;
  private long n;

  @Setup
  public void start() throws Exception {
    if (sentry.equals("on")) {
      endpoint = new SentryEndpoint(true);
      System.setProperty("sentry.dsn", endpoint.dsn());
    }
    URI uri = ErrorTrackingBenchmark.class.getResource("/bench-errors.xml").toURI();
    context = Configurator.initialize("bench-errors", ErrorTrackingBenchmark.class.getClassLoader(), uri);
    logger = context.getLogger("bench");
    if (ErrorTracking.isOn() != sentry.equals("on")) {
      throw new IllegalStateException("error tracking is " + (ErrorTracking.isOn() ? "on" : "off") + ", expected " + sentry);
    }
  }

  @TearDown
  public void stop() throws Exception {
    ErrorTracking.webappStopped();
    Configurator.shutdown(context);
    if (endpoint != null) {
      endpoint.close();
    }
    System.clearProperty("sentry.dsn");
  }

  /** The hooks of one request that ends 200: start, completing, end. */
  @Benchmark
  public Object requestWithoutError() {
    Object state = ErrorTracking.start("r-42");
    ErrorTracking.completing(state, "r-42", 200, "GET", "/api/orders/{id}", null, null);
    ErrorTracking.end(state);
    return state;
  }

  /** One ERROR event with a new exception, outside a request (the SentryAppender's path). */
  @Benchmark
  public void errorEvent() {
    logger.error("charging order {} failed", ++n, new IllegalStateException("the order service refused"));
  }

  /** A request that logs one INFO line (a breadcrumb) and fails: its one event, tags and breadcrumbs. */
  @Benchmark
  public Object failedRequest() {
    Object state = ErrorTracking.start("r-43");
    logger.info("charging order {}", ++n);
    ErrorTracking.completing(state, "r-43", 500, "GET", "/api/orders/{id}", new IllegalStateException("refused"), null);
    ErrorTracking.end(state);
    return state;
  }

  /** What forking a Sentry scope per request would cost (Lookout forks only for a request that sends). */
  @Benchmark
  public Object forkScopesPerRequest() {
    return sentry.equals("on") ? Sentry.forkedRootScopes("bench") : null;
  }
}
