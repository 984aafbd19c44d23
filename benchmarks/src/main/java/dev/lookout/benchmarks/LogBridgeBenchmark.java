package dev.lookout.benchmarks;

import dev.lookout.log4j2.internal.bridge.JulRouting;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One log event written through each API a web application's code and libraries use — the Log4j
 * API, SLF4J 2 (classic and fluent with typed key-values) through {@code log4j-slf4j2-impl}, and
 * {@code java.util.logging} through Lookout's routing to log4j-jul's bridge — as one Log4j2
 * event, inside a request's log context (the appender discards it: formatting is the same for all); and
 * the same calls when the level drops them.
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LogBridgeBenchmark {

  private static final String ORDER = "o-42";

  /** The class loader's logger context (where SLF4J and JUL arrive), and the loggers of each API. */
  @State(Scope.Benchmark)
  public static class Apis {
    LoggerContext context;
    JulRouting jul;
    org.apache.logging.log4j.Logger log4j;
    org.slf4j.Logger slf4j;
    java.util.logging.Logger julLogger;

    @Setup
    public void start() throws Exception {
      URI uri = LogBridgeBenchmark.class.getResource("/bench-bridges.xml").toURI();
      context = Configurator.initialize("bridges", LogBridgeBenchmark.class.getClassLoader(), uri);
      // only Lookout's routing on the JUL root: no console handler writing each record too
      java.util.logging.LogManager.getLogManager().reset();
      jul = JulRouting.install(Thread.currentThread().getContextClassLoader());
      log4j = LogManager.getLogger("bench.log4j");
      slf4j = org.slf4j.LoggerFactory.getLogger("bench.slf4j");
      julLogger = java.util.logging.Logger.getLogger("bench.jul");
    }

    @TearDown
    public void stop() {
      jul.close();
      Configurator.shutdown(context);
    }
  }

  /** A request's log context, as lookout-filters sets it. */
  @State(Scope.Thread)
  public static class InRequest {
    @Setup
    public void enter() {
      ThreadContext.put("request_id", "3f2504e04f8911d39a0c0305e82c3301");
      ThreadContext.put("correlation_id", "3f2504e04f8911d39a0c0305e82c3301");
      ThreadContext.put("trace_id", "3f2504e04f8911d39a0c0305e82c3301");
      ThreadContext.put("span_id", "0305e82c3301d39a");
    }

    @TearDown
    public void leave() {
      ThreadContext.clearMap();
    }
  }

  @Benchmark
  public void log4jApi(Apis a, InRequest r) {
    a.log4j.info("order {} created", ORDER);
  }

  @Benchmark
  public void slf4j(Apis a, InRequest r) {
    a.slf4j.info("order {} created", ORDER);
  }

  @Benchmark
  public void slf4jFluentTyped(Apis a, InRequest r) {
    a.slf4j.atInfo().setMessage("order_created").addKeyValue("order_id", 42L).addKeyValue("quantity", 3).log();
  }

  @Benchmark
  public void julRouted(Apis a, InRequest r) {
    a.julLogger.log(Level.INFO, "order {0} created", ORDER);
  }

  @Benchmark
  public void log4jApiDropped(Apis a, InRequest r) {
    a.log4j.debug("order {} created", ORDER);
  }

  @Benchmark
  public void slf4jDropped(Apis a, InRequest r) {
    a.slf4j.debug("order {} created", ORDER);
  }

  @Benchmark
  public void slf4jFluentDropped(Apis a, InRequest r) {
    a.slf4j.atDebug().setMessage("order_created").addKeyValue("order_id", 42L).log();
  }

  @Benchmark
  public void julDropped(Apis a, InRequest r) {
    a.julLogger.log(Level.FINE, "order {0} created", ORDER);
  }
}
