package dev.lookout.filters.internal;

import dev.lookout.filters.LookoutAttributes;
import dev.lookout.filters.internal.metrics.HttpMethods;
import dev.lookout.filters.internal.tracing.Tracing;
import io.opentelemetry.context.Scope;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.apache.logging.log4j.ThreadContext;

/**
 * Lookout's state for one request, from the first filter call to the real completion (synchronous
 * return, or async complete, error or timeout), finished exactly once. It is its own
 * {@link AsyncListener} so that an async request costs no extra object. Internal.
 */
public final class RequestObservation implements AsyncListener {

  private static final AtomicIntegerFieldUpdater<RequestObservation> FINISHED =
      AtomicIntegerFieldUpdater.newUpdater(RequestObservation.class, "finished");

  final LookoutRuntime runtime;
  final HttpServletRequest request;
  final HttpServletResponse response;
  final long startNanos;
  final int methodIndex;
  final String requestId;
  final String correlationId;
  final String mappingPattern;
  final boolean accessLogged;
  final boolean forceLogging;
  final String clientAddress; // null when neither tracing nor the access log needs it
  final Tracing.RequestSpan span; // null without tracing

  private final dev.lookout.filters.internal.pipeline.RequestDbActivity db =
      new dev.lookout.filters.internal.pipeline.RequestDbActivity();

  private volatile int finished;
  /** The application's exception seen in an async dispatch or reported by the container. */
  private volatile Throwable asyncFailure;

  RequestObservation(
      LookoutRuntime runtime,
      HttpServletRequest request,
      HttpServletResponse response,
      long startNanos,
      int methodIndex,
      String requestId,
      String correlationId,
      String mappingPattern,
      boolean accessLogged,
      boolean forceLogging,
      String clientAddress,
      Tracing.RequestSpan span) {
    this.runtime = runtime;
    this.request = request;
    this.response = response;
    this.startNanos = startNanos;
    this.methodIndex = methodIndex;
    this.requestId = requestId;
    this.correlationId = correlationId;
    this.mappingPattern = mappingPattern;
    this.accessLogged = accessLogged;
    this.forceLogging = forceLogging;
    this.clientAddress = clientAddress;
    this.span = span;
  }

  /** Makes the request's span current on this thread; null without tracing. */
  Scope makeSpanCurrent() {
    if (span == null) {
      return null;
    }
    try {
      return span.context().makeCurrent();
    } catch (RuntimeException | LinkageError e) {
      FailOpen.report("making the span current", e);
      return null;
    }
  }

  public String requestId() {
    return requestId;
  }

  public dev.lookout.filters.internal.pipeline.RequestDbActivity db() {
    return db;
  }

  /**
   * Records and reports the end of the request, once: metrics, access log, log-buffer hook.
   *
   * @param failure the application's exception, or null
   */
  void finish(Throwable failure) {
    if (!FINISHED.compareAndSet(this, 0, 1)) {
      return;
    }
    long durationNanos = System.nanoTime() - startNanos;
    if (failure == null) {
      failure = asyncFailure;
    }
    int status;
    String endpoint;
    try {
      status = failure != null && !response.isCommitted() ? 500 : response.getStatus();
      if (failure != null && status < 500) {
        status = 500; // the container turns an escaped exception into a 500 whatever was set
      }
      endpoint = runtime.endpoint(this, status);
    } catch (Throwable t) {
      FailOpen.report("resolving the status and endpoint", t);
      status = 500;
      endpoint = "UNKNOWN";
    }
    if (runtime.metrics != null) {
      // With the span current, prometheus-metrics attaches the trace ID as an exemplar.
      Scope scope = makeSpanCurrent();
      try {
        runtime.metrics.requestFinished(methodIndex, endpoint, status, durationNanos);
      } catch (Throwable t) {
        FailOpen.report("recording request metrics", t);
      } finally {
        if (scope != null) {
          scope.close();
        }
      }
    }
    if (accessLogged) {
      try {
        writeAccessLog(endpoint, status, durationNanos, failure);
      } catch (Throwable t) {
        FailOpen.report("writing the access log", t);
      }
    }
    if (span != null) {
      Object mapped = status >= 500 ? request.getAttribute(LookoutAttributes.ERROR_TYPE) : null;
      span.finish(
          HttpMethods.label(methodIndex),
          LookoutRuntime.routeOf(endpoint),
          status,
          failure,
          mapped instanceof String s ? s : null);
    }
    runtime.logHooks.requestEnded(requestId, status);
  }

  private void writeAccessLog(String endpoint, int status, long durationNanos, Throwable failure) {
    if (!runtime.accessLog.isCompletedEnabled(failure != null)) {
      return;
    }
    String errorType = null;
    if (failure != null) {
      errorType = failure.getClass().getName();
    } else if (status >= 500) {
      Object mapped = request.getAttribute(LookoutAttributes.ERROR_TYPE);
      errorType = mapped instanceof String s ? s : null;
    }
    runtime.accessLog.completed(
        request.getMethod(),
        endpoint,
        request.getRequestURI(),
        request.getQueryString(),
        status,
        durationNanos,
        clientAddress,
        request.getHeader("User-Agent"),
        errorType,
        failure);
  }

  /** The application threw during an async dispatch; the completion will report it. */
  void failedInAsyncDispatch(Throwable t) {
    asyncFailure = t;
  }

  // ---- AsyncListener: the container calls these on its own threads ----------------------------

  @Override
  public void onComplete(AsyncEvent event) {
    runInLogContext(null);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    if (asyncFailure == null) {
      asyncFailure = new AsyncTimeoutException();
    }
  }

  @Override
  public void onError(AsyncEvent event) {
    Throwable t = event.getThrowable();
    if (t != null) {
      asyncFailure = t;
    }
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // A new async cycle drops the listeners of the last one: stay registered until the real end.
    try {
      event.getAsyncContext().addListener(this);
    } catch (RuntimeException e) {
      FailOpen.report("re-registering for a new async cycle", e);
    }
  }

  /** Finishes on a thread that is not in the request's log context yet. */
  private void runInLogContext(Throwable failure) {
    Map<String, String> saved = ThreadContext.isEmpty() ? null : ThreadContext.getImmutableContext();
    Scope scope = makeSpanCurrent();
    try {
      runtime.putLogContext(this);
      RequestObservation previous = dev.lookout.filters.internal.pipeline.CurrentRequest.set(this);
      try {
        finish(failure);
      } finally {
        dev.lookout.filters.internal.pipeline.CurrentRequest.set(previous);
      }
    } catch (Throwable t) {
      FailOpen.report("finishing an async request", t);
    } finally {
      if (scope != null) {
        scope.close();
      }
      LookoutFilter.restoreLogContext(saved, -1);
    }
  }

  /** Marks an async request that timed out before the application completed it. */
  static final class AsyncTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AsyncTimeoutException() {
      super("async request timed out", null, false, false);
    }
  }
}
