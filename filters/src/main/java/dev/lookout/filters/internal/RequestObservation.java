package dev.lookout.filters.internal;

import dev.lookout.filters.internal.flow.FlowContext;
import dev.lookout.filters.internal.pipeline.CurrentRequest;
import dev.lookout.filters.internal.pipeline.LogContext;
import dev.lookout.filters.internal.pipeline.RequestDbActivity;
import dev.lookout.filters.internal.pipeline.RequestOutcome;
import dev.lookout.filters.internal.tracing.ServerSpans;
import io.opentelemetry.context.Scope;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * Lookout's state for one request, from the first filter call to the real completion (synchronous
 * return, or async complete, error or timeout), finished exactly once: then its {@link
 * RequestPipeline} computes the outcome and hands it to the sinks. It is its own {@link
 * AsyncListener} so that an async request costs no extra object. Internal.
 */
public final class RequestObservation implements AsyncListener {

  private static final AtomicIntegerFieldUpdater<RequestObservation> FINISHED =
      AtomicIntegerFieldUpdater.newUpdater(RequestObservation.class, "finished");
  private static final AtomicReferenceFieldUpdater<RequestObservation, RequestDbActivity> DB =
      AtomicReferenceFieldUpdater.newUpdater(RequestObservation.class, RequestDbActivity.class, "db");

  private final RequestPipeline pipeline;
  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final long startNanos;
  private final int methodIndex;
  private final String requestId;
  private final String correlationId;
  private final String mappingPattern;
  private final boolean accessLogged;
  private final boolean forceLogging;
  private String clientAddress; // null until read, or when neither tracing nor the access log needs it
  private final ServerSpans.RequestSpan span; // null without tracing
  private Object logState; // lookout-log4j2's state for this request, or null
  private volatile RequestDbActivity db;
  private volatile int finished;
  /** The application's exception seen in an async dispatch or reported by the container. */
  private volatile Throwable asyncFailure;

  RequestObservation(
      RequestPipeline pipeline,
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
      ServerSpans.RequestSpan span) {
    this.pipeline = pipeline;
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

  // ---- what the pipeline and the sinks read ----------------------------------------------------

  public String requestId() {
    return requestId;
  }

  public String correlationId() {
    return correlationId;
  }

  public HttpServletRequest request() {
    return request;
  }

  HttpServletResponse response() {
    return response;
  }

  long startNanos() {
    return startNanos;
  }

  int methodIndex() {
    return methodIndex;
  }

  String mappingPattern() {
    return mappingPattern;
  }

  public boolean accessLogged() {
    return accessLogged;
  }

  /** The client address (read on first use when the span did not need it), or null when unused. */
  public String clientAddress() {
    String a = clientAddress;
    if (a == null) {
      a = pipeline.clientAddress(request); // idempotent, so a racing second read is harmless
      clientAddress = a;
    }
    return a;
  }

  public ServerSpans.RequestSpan span() {
    return span;
  }

  Object logState() {
    return logState;
  }

  void logState(Object state) {
    this.logState = state;
  }

  /**
   * Whether the log module keeps this request's closing INFO event (asked as the access event is
   * about to be built; a drop is counted there).
   */
  public boolean accessEventKept() {
    return pipeline.logHooks.requestKeepsInfo(logState);
  }

  /** What the request did in the database; created on first use, so requests without SQL pay nothing. */
  public RequestDbActivity db() {
    RequestDbActivity d = db;
    if (d == null) {
      DB.compareAndSet(this, null, new RequestDbActivity());
      d = db;
    }
    return d;
  }

  RequestDbActivity dbIfUsed() {
    return db;
  }

  // ---- a thread takes the request up, or lets it go ---------------------------------------------

  /**
   * Makes this request current on this thread: log context, {@link CurrentRequest}, span, the log
   * module's per-thread state. The caller saved the log context and hands the result to {@link
   * #leave}; never throws.
   */
  Entered enter() {
    RequestObservation previous = null;
    Scope scope = null;
    Object logToken = null;
    try {
      LogContext.put(
          requestId,
          correlationId,
          span == null ? null : span.traceId(),
          span == null ? null : span.spanId(),
          span == null ? null : span.sampled() ? "01" : "00",
          forceLogging);
      previous = CurrentRequest.enter(this);
      if (span != null) {
        scope = span.context().makeCurrent();
        FlowContext.fromBaggage(); // a caller's flow_id (W3C baggage) into this request's log context
      }
      logToken = pipeline.logHooks.requestResumed(logState);
    } catch (Throwable t) {
      FailOpen.report("entering the request's context", t);
    }
    return new Entered(previous, scope, logToken);
  }

  /** Undoes {@link #enter} (the caller restores the log context); never throws. */
  void leave(Entered entered) {
    try {
      pipeline.logHooks.requestSuspended(entered.logToken);
      if (entered.scope != null) {
        entered.scope.close();
      }
      CurrentRequest.restore(entered.previous);
    } catch (Throwable t) {
      FailOpen.report("leaving the request's context", t);
    }
  }

  /** What {@link #enter} replaced. */
  record Entered(RequestObservation previous, Scope scope, Object logToken) {}

  // ---- the end ---------------------------------------------------------------------------------

  /**
   * Computes the outcome and hands it to the sinks, once; on the thread that is in the request's
   * context.
   *
   * @param failure the application's exception, or null
   */
  void finish(Throwable failure) {
    if (!FINISHED.compareAndSet(this, 0, 1)) {
      return;
    }
    RequestOutcome outcome = pipeline.outcome(this, failure != null ? failure : asyncFailure);
    pipeline.complete(this, outcome);
  }

  /** The application threw during an async dispatch; the completion will report it. */
  void failedInAsyncDispatch(Throwable t) {
    asyncFailure = t;
  }

  // ---- AsyncListener: the container calls these on its own threads ----------------------------

  @Override
  public void onComplete(AsyncEvent event) {
    LogContext.Saved saved = LogContext.save(false);
    Entered entered = enter();
    try {
      finish(null);
    } catch (Throwable t) {
      FailOpen.report("finishing an async request", t);
    } finally {
      leave(entered);
      LogContext.restore(saved);
    }
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

  /** Marks an async request that timed out before the application completed it. */
  static final class AsyncTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AsyncTimeoutException() {
      super("async request timed out", null, false, false);
    }
  }
}
