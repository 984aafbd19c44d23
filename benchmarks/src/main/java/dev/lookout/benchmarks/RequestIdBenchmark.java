package dev.lookout.benchmarks;

import dev.lookout.filters.internal.RequestIds;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * A new request ID: Lookout's 128 random bits as 32 hex characters from {@link
 * java.util.concurrent.ThreadLocalRandom}, next to {@code UUID.randomUUID().toString()} (SecureRandom
 * behind a lock), on one thread and on two.
 */
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
