package dev.lookout.filters.internal;

import dev.lookout.filters.internal.pipeline.RequestOutcome;
import dev.lookout.filters.internal.pipeline.RequestSink;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * The seam to {@code lookout-log4j2} ({@code dev.lookout.log4j2.RequestLogHooks}, see {@code
 * docs/contracts.md}): found by class name at startup, absent without harm. lookout-filters tells
 * the log module when a request starts, which thread carries it, that it is completing (before the
 * access event, so that its buffered lines come first) and that it ended; no module recognises the
 * other's events by logger or field names. Internal.
 */
public final class LogHooks {

  static final String CLASS_NAME = "dev.lookout.log4j2.RequestLogHooks";

  private static final MethodType STARTED = MethodType.methodType(Object.class, String.class, String.class, boolean.class);
  private static final MethodType RESUMED = MethodType.methodType(Object.class, Object.class);
  private static final MethodType SUSPENDED = MethodType.methodType(void.class, Object.class);
  private static final MethodType COMPLETING =
      MethodType.methodType(
          void.class, Object.class, String.class, int.class, String.class, String.class, Throwable.class, String.class);
  private static final MethodType ENDED = MethodType.methodType(void.class, Object.class);
  private static final MethodType KEEPS_INFO = MethodType.methodType(boolean.class, Object.class);
  private static final MethodType DROPPED = MethodType.methodType(Map.class);
  private static final MethodType SERVICE = MethodType.methodType(void.class, String.class, String.class, String.class);
  private static final MethodType SETTINGS = MethodType.methodType(void.class, Map.class);
  private static final MethodType STOPPED = MethodType.methodType(void.class);
  private static final MethodType PROBLEM = MethodType.methodType(String.class);

  private final MethodHandle requestStarted;
  private final MethodHandle requestResumed;
  private final MethodHandle requestSuspended;
  private final MethodHandle requestCompleting;
  private final MethodHandle requestEnded;
  private final MethodHandle requestKeepsInfo;
  private final MethodHandle droppedEventCounts;
  private final MethodHandle serviceStarted;
  private final MethodHandle settingsLoaded;
  private final MethodHandle webappStopped;
  private final MethodHandle errorEventDropCounts;
  private final MethodHandle startupProblem;

  private LogHooks(Class<?> hooks) {
    this.requestStarted = find(hooks, "requestStarted", STARTED);
    this.requestResumed = find(hooks, "requestResumed", RESUMED);
    this.requestSuspended = find(hooks, "requestSuspended", SUSPENDED);
    this.requestCompleting = find(hooks, "requestCompleting", COMPLETING);
    this.requestEnded = find(hooks, "requestEnded", ENDED);
    this.requestKeepsInfo = find(hooks, "requestKeepsInfo", KEEPS_INFO);
    this.droppedEventCounts = find(hooks, "droppedEventCounts", DROPPED);
    this.serviceStarted = find(hooks, "serviceStarted", SERVICE);
    this.settingsLoaded = find(hooks, "settingsLoaded", SETTINGS);
    this.webappStopped = find(hooks, "webappStopped", STOPPED);
    this.errorEventDropCounts = find(hooks, "errorEventDropCounts", DROPPED);
    this.startupProblem = find(hooks, "startupProblem", PROBLEM);
  }

  /** The hooks visible to this class loader; methods that are missing do nothing. */
  public static LogHooks find(ClassLoader loader) {
    Class<?> c = null;
    try {
      c = Class.forName(CLASS_NAME, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      // lookout-log4j2 not deployed
    }
    return new LogHooks(c);
  }

  private static MethodHandle find(Class<?> c, String name, MethodType type) {
    if (c == null) {
      return null;
    }
    try {
      return MethodHandles.publicLookup().findStatic(c, name, type);
    } catch (ReflectiveOperationException e) {
      return null; // an older or newer lookout-log4j2: that feature is off
    }
  }

  /** Hands the resolved {@code lookout.log.*} settings to the log module; never throws. */
  public void settingsLoaded(Map<String, String> logSettings) {
    if (settingsLoaded != null) {
      try {
        settingsLoaded.invokeExact(logSettings);
      } catch (Throwable t) {
        FailOpen.report("the lookout-log4j2 settings hook", t);
      }
    }
  }

  /** Tells the JSON layout which service it writes for; never throws. */
  public void serviceStarted(ServiceInfo info) {
    if (serviceStarted != null) {
      try {
        serviceStarted.invokeExact(info.name(), info.version(), info.environment());
      } catch (Throwable t) {
        FailOpen.report("the lookout-log4j2 service hook", t);
      }
    }
  }

  /** Tells lookout-log4j2 that the web application is going away (stops its threads); never throws. */
  public void webappStopped() {
    if (webappStopped != null) {
      try {
        webappStopped.invokeExact();
      } catch (Throwable t) {
        FailOpen.report("the lookout-log4j2 webapp-stopped hook", t);
      }
    }
  }

  /**
   * A request started (its log context is set).
   *
   * @param samplingKey what the log sample is decided by (trace ID, else request ID)
   * @param keepAll every event of the request is kept (forced logging, or an exported sampled trace)
   * @return the log module's state for the request, or null
   */
  Object requestStarted(String requestId, String samplingKey, boolean keepAll) {
    if (requestStarted == null || requestId == null) {
      return null;
    }
    try {
      return (Object) requestStarted.invokeExact(requestId, samplingKey, keepAll);
    } catch (Throwable t) {
      FailOpen.report("the lookout-log4j2 request-start hook", t);
      return null;
    }
  }

  /** This thread carries the request now; returns what to hand to {@link #requestSuspended}. */
  Object requestResumed(Object state) {
    if (requestResumed == null || state == null) {
      return null;
    }
    try {
      return (Object) requestResumed.invokeExact(state);
    } catch (Throwable t) {
      FailOpen.report("the lookout-log4j2 request-resume hook", t);
      return null;
    }
  }

  void requestSuspended(Object token) {
    if (requestSuspended == null || token == null) {
      return;
    }
    try {
      requestSuspended.invokeExact(token);
    } catch (Throwable t) {
      FailOpen.report("the lookout-log4j2 request-suspend hook", t);
    }
  }

  /**
   * Whether the log module keeps the request's closing INFO event (its access event); when not,
   * it counts the drop itself, so the event need not be built.
   */
  boolean requestKeepsInfo(Object state) {
    if (requestKeepsInfo == null || state == null) {
      return true;
    }
    try {
      return (boolean) requestKeepsInfo.invokeExact(state);
    } catch (Throwable t) {
      FailOpen.report("the lookout-log4j2 sampling-decision hook", t);
      return true;
    }
  }

  /**
   * Why lookout-log4j2's configuration cannot run as set (a bad Sentry DSN or error-tracking
   * setting, named in the message), or null.
   */
  public String startupProblem() {
    if (startupProblem == null) {
      return null;
    }
    try {
      return (String) startupProblem.invokeExact();
    } catch (Throwable t) {
      FailOpen.report("the lookout-log4j2 startup-check hook", t);
      return null;
    }
  }

  /** A collector for {@code lookout_error_events_dropped_total{reason}}, or null when the hook is missing. */
  public Collector errorEventsDroppedCollector() {
    return counter(
        "lookout_error_events_dropped",
        "Error events that never reached the error tracker (Sentry), by reason",
        errorEventDropCounts,
        (counts, b) -> {
          for (Map.Entry<String, ?> reason : counts.entrySet()) {
            b.dataPoint(point(Labels.of("reason", reason.getKey()), (Long) reason.getValue()));
          }
        });
  }

  /** A collector for {@code log_events_dropped_total{level,reason}}, or null when the hook is missing. */
  public Collector droppedEventsCollector() {
    return counter(
        "log_events_dropped",
        "Log events dropped by Lookout's sampling filter, by level and reason",
        droppedEventCounts,
        (counts, b) -> {
          for (Map.Entry<String, ?> level : counts.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Long> byReason = (Map<String, Long>) level.getValue();
            for (Map.Entry<String, Long> reason : byReason.entrySet()) {
              b.dataPoint(point(Labels.of("level", level.getKey(), "reason", reason.getKey()), reason.getValue()));
            }
          }
        });
  }

  /** A counter read at each scrape from a hook returning a map of counts; null when the hook is missing. */
  private static Collector counter(
      String name,
      String help,
      MethodHandle counts,
      java.util.function.BiConsumer<Map<String, ?>, CounterSnapshot.Builder> points) {
    if (counts == null) {
      return null;
    }
    return new Collector() {
      @Override
      public MetricSnapshot collect() {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        try {
          @SuppressWarnings("unchecked")
          Map<String, ?> read = (Map<String, ?>) counts.invoke();
          if (read != null) {
            points.accept(read, b);
          }
        } catch (Throwable t) {
          FailOpen.report("reading lookout-log4j2's counts for " + name, t);
        }
        return b.build();
      }

      @Override
      public String getPrometheusName() {
        return name;
      }
    };
  }

  private static CounterSnapshot.CounterDataPointSnapshot point(Labels labels, long value) {
    return CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  /**
   * The first sink: the request is completing. The log module writes or discards the request's
   * buffered events now, before the access event, and the error tracker sees the failed request.
   */
  final RequestSink completing =
      new RequestSink() {
        @Override
        public String name() {
          return "the lookout-log4j2 request-completing hook";
        }

        @Override
        public void requestCompleted(RequestObservation o, RequestOutcome outcome) {
          if (requestCompleting != null && o.logState() != null) {
            try {
              requestCompleting.invokeExact(
                          o.logState(),
                          o.requestId(),
                          outcome.status(),
                          outcome.method(),
                          outcome.endpoint(),
                          outcome.failure(),
                          outcome.errorType());
            } catch (Throwable t) {
              FailOpen.report(name(), t);
            }
          }
        }
      };

  /** The last sink: the request ended; the log module releases what it held for it. */
  final RequestSink ended =
      new RequestSink() {
        @Override
        public String name() {
          return "the lookout-log4j2 request-end hook";
        }

        @Override
        public void requestCompleted(RequestObservation o, RequestOutcome outcome) {
          if (requestEnded != null && o.logState() != null) {
            try {
              requestEnded.invokeExact(o.logState());
            } catch (Throwable t) {
              FailOpen.report(name(), t);
            }
          }
        }
      };
}
