package dev.lookout.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports the CPU time of the benchmark's own threads per operation ({@code
 * worker.cpu.norm}): on a machine whose cores are shared with other busy processes, wall time per
 * operation mostly measures how rarely the thread is scheduled, and process CPU adds the JIT and
 * GC threads; this is what the calling thread itself spent. Use with {@code -prof
 * dev.lookout.benchmarks.WorkerCpuProfiler}.
 */
public final class WorkerCpuProfiler implements InternalProfiler {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private long start;

  @Override
  public String getDescription() {
    return "CPU time of the benchmark threads per operation";
  }

  private long workerCpu() {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().contains("jmh-worker")) {
        long c = threads.getThreadCpuTime(t.getId());
        if (c > 0) {
          sum += c;
        }
      }
    }
    return sum;
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    start = workerCpu();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = workerCpu() - start;
    long ops = result.getMetadata().getAllOps();
    double perOp = ops == 0 ? Double.NaN : cpu / 1000.0 / ops;
    return List.of(new ScalarResult("worker.cpu.norm", perOp, "us/op", AggregationPolicy.AVG));
  }
}
