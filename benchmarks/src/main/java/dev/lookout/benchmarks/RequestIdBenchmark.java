package dev.lookout.benchmarks;

import dev.lookout.filters.internal.pipeline.RequestIds;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * A new request ID: Lookout's 128 random bits as 32 hex characters from {@link
 * java.util.concurrent.ThreadLocalRandom}, next to {@code UUID.randomUUID().toString()} (SecureRandom
 * behind a lock), on one thread and on two.
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestIdBenchmark {

  @Benchmark
  public String lookoutRequestId() {
    return RequestIds.generate();
  }

  @Benchmark
  public String randomUuid() {
    return UUID.randomUUID().toString();
  }

  @Benchmark
  @Threads(2)
  public String lookoutRequestIdTwoThreads() {
    return RequestIds.generate();
  }

  @Benchmark
  @Threads(2)
  public String randomUuidTwoThreads() {
    return UUID.randomUUID().toString();
  }
}
