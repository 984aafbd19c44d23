package dev.lookout.filters.internal.flow;

import dev.lookout.filters.internal.FailOpen;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.ThreadContext;

/** The flow ID in the log context and baggage, and its hand-off to other threads. Internal. */
public final class FlowContext {

  /** The log-context key and the W3C baggage entry. */
  public static final String KEY = "flow_id";

  private static final int MAX_LENGTH = 96;

  private FlowContext() {}

  public static String currentId() {
    return ThreadContext.get(KEY);
  }

  /**
   * A request starts with this trace context current: a {@code flow_id} in its incoming baggage
   * goes into the log context (the caller restores the context when the request lets go of the
   * thread). Never throws.
   */
  public static void fromBaggage() {
    try {
      String id = Baggage.current().getEntryValue(KEY);
      if (id != null && isPlausible(id)) {
        ThreadContext.put(KEY, id);
      }
    } catch (RuntimeException | LinkageError e) {
      FailOpen.report("reading the flow ID from baggage", e);
    }
  }

  /** Short, printable: a caller's baggage is untrusted input. */
  static boolean isPlausible(String id) {
    int n = id.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  public static Runnable wrap(Runnable task) {
    Captured c = Captured.now();
    return () -> {
      Captured.Restore r = c.apply();
      try {
        task.run();
      } finally {
        r.close();
      }
    };
  }

  public static <T> Callable<T> wrap(Callable<T> task) {
    Captured c = Captured.now();
    return () -> {
      Captured.Restore r = c.apply();
      try {
        return task.call();
      } finally {
        r.close();
      }
    };
  }

  /** The submitting thread's log context and trace context. */
  private record Captured(Map<String, String> log, Context trace) {
    static Captured now() {
      return new Captured(ThreadContext.isEmpty() ? Map.of() : ThreadContext.getImmutableContext(), Context.current());
    }

    Restore apply() {
      Map<String, String> before = ThreadContext.isEmpty() ? Map.of() : ThreadContext.getImmutableContext();
      Scope scope = null;
      try {
        ThreadContext.clearMap();
        if (!log.isEmpty()) {
          ThreadContext.putAll(log);
        }
        scope = trace.makeCurrent();
      } catch (RuntimeException | LinkageError e) {
        FailOpen.report("handing the flow context to a task", e);
      }
      return new Restore(before, scope);
    }

    record Restore(Map<String, String> before, Scope scope) {
      void close() {
        try {
          if (scope != null) {
            scope.close();
          }
          ThreadContext.clearMap();
          if (!before.isEmpty()) {
            ThreadContext.putAll(before);
          }
        } catch (RuntimeException | LinkageError e) {
          FailOpen.report("restoring a task's context", e);
        }
      }
    }
  }
}
