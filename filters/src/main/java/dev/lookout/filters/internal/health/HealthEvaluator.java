package dev.lookout.filters.internal.health;

import dev.lookout.filters.health.HealthCheck;
import dev.lookout.filters.health.HealthCheckResult;
import dev.lookout.filters.health.HealthProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Runs health checks in parallel on a small bounded executor, each with a timeout. Internal.
 *
 * <p>Two rules keep a hanging dependency from piling up threads: concurrent probe requests share
 * one evaluation (kept for a short time to answer later requests too), and a check still running
 * from an earlier evaluation is never started again — its pending result is awaited instead.
 */
public final class HealthEvaluator {

  /** Index of "all checks" next to the probes' ordinals. */
  private static final int ALL = HealthProbe.values().length;

  private final Supplier<List<HealthCheck>> checks;
  private final long timeoutNanos;
  private final long cacheTtlNanos;
  private final ThreadPoolExecutor executor;
  private final BiConsumer<HealthProbe, HealthReport> onReport;
  private final ConcurrentHashMap<HealthCheck, Running> running = new ConcurrentHashMap<>();

  @SuppressWarnings("unchecked")
  private final AtomicReference<Evaluation>[] current = new AtomicReference[ALL + 1];

  /**
   * @param onReport told of each new report (probe null for all checks) (for the status gauges); must not throw
   */
  public HealthEvaluator(
      Supplier<List<HealthCheck>> checks,
      Duration timeout,
      Duration cacheTtl,
      int threads,
      String threadNamePrefix,
      BiConsumer<HealthProbe, HealthReport> onReport) {
    this.checks = checks;
    this.timeoutNanos = timeout.toNanos();
    this.cacheTtlNanos = cacheTtl.toNanos();
    this.onReport = onReport;
    for (int i = 0; i <= ALL; i++) {
      current[i] = new AtomicReference<>();
    }
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, threadNamePrefix + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    // Threads are created on demand and die when idle: a quiet application carries none.
    this.executor =
        new ThreadPoolExecutor(
            threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64), factory);
    this.executor.allowCoreThreadTimeOut(true);
  }

  /** Stops the executor; running checks are interrupted. */
  public void shutdown() {
    executor.shutdownNow();
  }

  /**
   * The report for one probe, or for all checks when {@code probe} is null. Blocks at most about
   * the check timeout.
   */
  public HealthReport evaluate(HealthProbe probe) {
    AtomicReference<Evaluation> ref = current[probe == null ? ALL : probe.ordinal()];
    while (true) {
      Evaluation e = ref.get();
      long now = System.nanoTime();
      if (e != null && (!e.result.isDone() || now - e.expiresAt < 0)) {
        return await(e.result);
      }
      Evaluation mine = new Evaluation();
      if (ref.compareAndSet(e, mine)) {
        HealthReport report;
        try {
          report = run(probe);
        } catch (RuntimeException | Error t) {
          report =
              new HealthReport(
                  false,
                  List.of(new HealthReport.CheckOutcome("lookout", false, Map.of("error", String.valueOf(t)))));
        }
        mine.expiresAt = System.nanoTime() + cacheTtlNanos;
        mine.result.complete(report);
        try {
          onReport.accept(probe, report);
        } catch (RuntimeException ignored) {
          // gauges are best effort
        }
        return report;
      }
    }
  }

  private HealthReport await(CompletableFuture<HealthReport> f) {
    try {
      return f.get(timeoutNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return down("interrupted while waiting for the health evaluation");
    } catch (ExecutionException | TimeoutException | CancellationException e) {
      return down("health evaluation did not finish: " + e);
    }
  }

  private static HealthReport down(String reason) {
    return new HealthReport(
        false, List.of(new HealthReport.CheckOutcome("lookout", false, Map.of("error", reason))));
  }

  private HealthReport run(HealthProbe probe) {
    List<HealthCheck> selected = new ArrayList<>();
    for (HealthCheck c : checks.get()) {
      if (probe == null || c.probes().contains(probe)) {
        selected.add(c);
      }
    }
    List<Running> started = new ArrayList<>(selected.size());
    for (HealthCheck c : selected) {
      started.add(start(c));
    }
    long deadline = System.nanoTime() + timeoutNanos;
    List<HealthReport.CheckOutcome> outcomes = new ArrayList<>(selected.size());
    boolean allUp = true;
    for (int i = 0; i < selected.size(); i++) {
      HealthReport.CheckOutcome o = outcome(selected.get(i), started.get(i), deadline);
      allUp &= o.up();
      outcomes.add(o);
    }
    return new HealthReport(allUp, outcomes);
  }

  /** Starts a check, unless it is still running from an earlier evaluation. */
  private Running start(HealthCheck check) {
    return running.compute(
        check,
        (c, previous) -> {
          if (previous != null && !previous.future.isDone()) {
            previous.reused = true;
            return previous;
          }
          Running r = new Running();
          try {
            executor.execute(() -> r.complete(c));
          } catch (RejectedExecutionException e) {
            r.future.complete(
                new Timed(HealthCheckResult.down("health executor saturated; check not run"), 0));
          }
          return r;
        });
  }

  private HealthReport.CheckOutcome outcome(HealthCheck check, Running r, long deadline) {
    String name = safeName(check);
    Timed timed;
    try {
      timed = r.future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("error", "timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
      if (r.reused) {
        data.put("note", "still running since an earlier evaluation; not started again");
      }
      data.put("duration_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r.startedAt));
      return new HealthReport.CheckOutcome(name, false, data);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new HealthReport.CheckOutcome(name, false, Map.of("error", "interrupted"));
    } catch (ExecutionException | CancellationException e) {
      return new HealthReport.CheckOutcome(name, false, Map.of("error", String.valueOf(e.getCause())));
    }
    Map<String, Object> data = new LinkedHashMap<>(timed.result.data());
    data.put("duration_ms", TimeUnit.NANOSECONDS.toMillis(timed.nanos));
    return new HealthReport.CheckOutcome(name, timed.result.isUp(), data);
  }

  static String safeName(HealthCheck check) {
    try {
      String n = check.name();
      return n == null || n.isEmpty() ? check.getClass().getName() : n;
    } catch (RuntimeException e) {
      return check.getClass().getName();
    }
  }

  private static final class Evaluation {
    final CompletableFuture<HealthReport> result = new CompletableFuture<>();
    volatile long expiresAt;
  }

  private static final class Timed {
    final HealthCheckResult result;
    final long nanos;

    Timed(HealthCheckResult result, long nanos) {
      this.result = result;
      this.nanos = nanos;
    }
  }

  /** One run of a check. */
  private static final class Running {
    final CompletableFuture<Timed> future = new CompletableFuture<>();
    final long startedAt = System.nanoTime();
    volatile boolean reused;

    void complete(HealthCheck check) {
      long start = System.nanoTime();
      HealthCheckResult result;
      try {
        result = check.check();
        if (result == null) {
          result = HealthCheckResult.down("check returned null");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        result = HealthCheckResult.down("interrupted");
      } catch (Exception | LinkageError | StackOverflowError e) {
        result = HealthCheckResult.down().withData("error", e.getClass().getName() + ": " + e.getMessage());
      }
      future.complete(new Timed(result, System.nanoTime() - start));
    }
  }
}
