package dev.lookout.filters.internal.metrics;

import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * prometheus-metrics-core keeps a static single-thread scheduler (exemplar sampling) that nothing
 * ever stops: in a WAR that thread would outlive an undeploy and pin the old class loader. Stopped
 * here on undeploy, only when the jar belongs to this web application alone. Internal.
 */
public final class PrometheusScheduler {

  private static final Logger LOG = LogManager.getLogger("lookout");
  private static final String CLASS = "io.prometheus.metrics.core.util.Scheduler";
  private static final String THREAD_PREFIX = "prometheus-metrics-scheduler";

  private PrometheusScheduler() {}

  /** Stops the scheduler's thread if it runs and its class was loaded by {@code webappLoader}. */
  public static void stopIfOwnedBy(ClassLoader webappLoader) {
    if (webappLoader == null || webappLoader == ClassLoader.getSystemClassLoader()) {
      return; // embedded or shared: other code in this class loader may still need it
    }
    boolean running =
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.isAlive() && t.getName().startsWith(THREAD_PREFIX));
    if (!running) {
      return; // never started: reading the field would start it
    }
    try {
      Class<?> scheduler = Class.forName(CLASS, false, HttpMetrics.class.getClassLoader());
      if (scheduler.getClassLoader() != webappLoader) {
        return; // prometheus-metrics in a shared library folder: not ours to stop
      }
      Field executor = scheduler.getDeclaredField("executor");
      executor.setAccessible(true);
      ((ExecutorService) executor.get(null)).shutdownNow();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.debug("Lookout: could not stop prometheus-metrics' scheduler thread", e);
    }
  }
}
