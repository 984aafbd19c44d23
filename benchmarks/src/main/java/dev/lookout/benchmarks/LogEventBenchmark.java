package dev.lookout.benchmarks;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.StringMapMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of a log event through Lookout's sampling filter when it is dropped, next to Log4j2's
 * BurstFilter dropping one, and of a kept event through Lookout's JSON template.
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LogEventBenchmark {

  private static final String ORDER = "o-42";

  /** A logger context from one of the benchmark configurations. */
  public abstract static class Context {
    LoggerContext context;
    Logger logger;

    abstract String config();

    @Setup
    public void start() throws Exception {
      URI uri = LogEventBenchmark.class.getResource(config()).toURI();
      context = Configurator.initialize(config(), LogEventBenchmark.class.getClassLoader(), uri);
      logger = context.getLogger("bench");
      // saturate a burst filter so that what follows is dropped
      for (int i = 0; i < 10; i++) {
        logger.info("warm {}", ORDER);
      }
    }

    @TearDown
    public void stop() {
      Configurator.shutdown(context);
    }
  }

  @State(Scope.Thread)
  public static class Lookout extends Context {
    @Override
    String config() {
      return "/bench-sampling.xml";
    }
  }

  @State(Scope.Thread)
  public static class Burst extends Context {
    @Override
    String config() {
      return "/bench-burst.xml";
    }
  }

  /** A request's log context, as lookout-filters sets it, with Lookout's filter. */
  @State(Scope.Thread)
  public static class LookoutInRequest extends Lookout {
    @Setup
    public void request() {
      ThreadContext.put("request_id", "3f2504e04f8911d39a0c0305e82c3301");
      ThreadContext.put("correlation_id", "3f2504e04f8911d39a0c0305e82c3301");
    }

    @TearDown
    public void clear() {
      ThreadContext.clearMap();
    }
  }

  /** An access-log event and Lookout's JSON template layout. */
  @State(Scope.Thread)
  public static class Layout {
    JsonTemplateLayout layout;
    LogEvent event;

    @Setup
    public void start() {
      layout =
          JsonTemplateLayout.newBuilder()
              .setConfiguration(new DefaultConfiguration())
              .setEventTemplateUri("classpath:LookoutLayout.json")
              .build();
      event =
          Log4jLogEvent.newBuilder()
              .setLoggerName("lookout.access")
              .setLevel(Level.INFO)
              .setMessage(
                  new StringMapMessage()
                      .with("event", "request_completed")
                      .with("method", "GET")
                      .with("endpoint", "/api/orders/{id}")
                      .with("path", "/api/orders/42")
                      .with("status", "200")
                      .with("duration_ms", "1.234")
                      .with("client_ip", "10.1.2.3")
                      .with("user_agent", "curl/8.0"))
              .setContextData(
                  ContextDataFactory.createContextData(
                      java.util.Map.of(
                          "request_id", "3f2504e04f8911d39a0c0305e82c3301",
                          "correlation_id", "3f2504e04f8911d39a0c0305e82c3301")))
              .setThreadName("jetty-12")
              .setTimeMillis(System.currentTimeMillis())
              .build();
    }
  }

  @Benchmark
  public void droppedByLookout(Lookout s) {
    s.logger.info("order {} created", ORDER);
  }

  @Benchmark
  public void droppedByBurstFilter(Burst s) {
    s.logger.info("order {} created", ORDER);
  }

  /**
   * One whole request's life in the log module, as lookout-filters drives it, with one event dropped
   * inside it and buffering on: the event is kept for a possible failure (the buffered copy
   * allocates), then the request ends well and the buffer is discarded.
   */
  @Benchmark
  public void droppedInRequestAndBuffered(LookoutInRequest s) {
    String id = "3f2504e04f8911d39a0c0305e82c3301";
    Object state = dev.lookout.log4j2.RequestLogHooks.requestStarted(id, id, false);
    Object token = dev.lookout.log4j2.RequestLogHooks.requestResumed(state);
    s.logger.info("order {} created", ORDER);
    dev.lookout.log4j2.RequestLogHooks.requestCompleting(state, id, 200, "GET", "/api/orders", null, null);
    dev.lookout.log4j2.RequestLogHooks.requestEnded(state);
    dev.lookout.log4j2.RequestLogHooks.requestSuspended(token);
  }

  @Benchmark
  public String keptThroughJsonLayout(Layout s) {
    return s.layout.toSerializable(s.event);
  }
}
