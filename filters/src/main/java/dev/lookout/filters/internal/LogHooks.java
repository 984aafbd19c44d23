package dev.lookout.filters.internal;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * The decoupled link to {@code lookout-log4j2} (see {@code docs/contracts.md}): found by class name
 * at startup, absent without harm. Internal.
 */
public final class LogHooks {

  static final String CLASS_NAME = "dev.lookout.log4j2.RequestLogHooks";

  private final MethodHandle requestEnded;
  private final MethodHandle droppedEventCounts;
  private final MethodHandle serviceStarted;
  private final MethodHandle webappStopped;

  private LogHooks(
      MethodHandle requestEnded, MethodHandle droppedEventCounts, MethodHandle serviceStarted, MethodHandle webappStopped) {
    this.requestEnded = requestEnded;
    this.droppedEventCounts = droppedEventCounts;
    this.serviceStarted = serviceStarted;
    this.webappStopped = webappStopped;
  }

  /** The hooks visible to this class loader; methods that are missing stay null. */
  public static LogHooks find(ClassLoader loader) {
    MethodHandle ended = null;
    MethodHandle dropped = null;
    MethodHandle service = null;
    MethodHandle stopped = null;
    try {
      Class<?> c = Class.forName(CLASS_NAME, true, loader);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      try {
        ended = lookup.findStatic(c, "requestEnded", MethodType.methodType(void.class, String.class, int.class));
      } catch (ReflectiveOperationException e) {
        // older or newer lookout-log4j2: feature off
      }
      try {
        dropped = lookup.findStatic(c, "droppedEventCounts", MethodType.methodType(Map.class));
      } catch (ReflectiveOperationException e) {
        // feature off
      }
      try {
        service =
            lookup.findStatic(
                c, "serviceStarted", MethodType.methodType(void.class, String.class, String.class, String.class));
      } catch (ReflectiveOperationException e) {
        // feature off
      }
      try {
        stopped = lookup.findStatic(c, "webappStopped", MethodType.methodType(void.class));
      } catch (ReflectiveOperationException e) {
        // feature off
      }
    } catch (ClassNotFoundException | LinkageError e) {
      // lookout-log4j2 not deployed
    }
    return new LogHooks(ended, dropped, service, stopped);
  }

  public boolean isPresent() {
    return requestEnded != null;
  }

  /** Tells the JSON layout which service it writes for; never throws. */
  public void serviceStarted(ServiceInfo info) {
    if (serviceStarted == null) {
      return;
    }
    try {
      serviceStarted.invokeExact(info.name(), info.version(), info.environment());
    } catch (Throwable t) {
      FailOpen.report("the lookout-log4j2 service hook", t);
    }
  }

  /** Tells lookout-log4j2 that the web application is going away (stops its thread); never throws. */
  public void webappStopped() {
    if (webappStopped == null) {
      return;
    }
    try {
      webappStopped.invokeExact();
    } catch (Throwable t) {
      FailOpen.report("the lookout-log4j2 webapp-stopped hook", t);
    }
  }

  /** Tells the log buffer that a request ended; never throws. */
  public void requestEnded(String requestId, int status) {
    if (requestEnded == null || requestId == null) {
      return;
    }
    try {
      requestEnded.invokeExact(requestId, status);
    } catch (Throwable t) {
      FailOpen.report("the lookout-log4j2 request-end hook", t);
    }
  }

  /** A collector for {@code log_events_dropped_total}, or null when the hook is missing. */
  public Collector droppedEventsCollector() {
    if (droppedEventCounts == null) {
      return null;
    }
    return new Collector() {
      @Override
      public MetricSnapshot collect() {
        CounterSnapshot.Builder b =
            CounterSnapshot.builder()
                .name("log_events_dropped")
                .help("Log events dropped by Lookout's sampling filter, by level and reason");
        try {
          @SuppressWarnings("unchecked")
          Map<String, Map<String, Long>> counts = (Map<String, Map<String, Long>>) droppedEventCounts.invoke();
          if (counts != null) {
            for (Map.Entry<String, Map<String, Long>> level : counts.entrySet()) {
              for (Map.Entry<String, Long> reason : level.getValue().entrySet()) {
                b.dataPoint(
                    CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of("level", level.getKey(), "reason", reason.getKey()))
                        .value(reason.getValue())
                        .build());
              }
            }
          }
        } catch (Throwable t) {
          FailOpen.report("reading lookout-log4j2's dropped-event counts", t);
        }
        return b.build();
      }

      @Override
      public String getPrometheusName() {
        return "log_events_dropped";
      }
    };
  }
}
