package dev.lookout.filters.internal;

import dev.lookout.filters.LookoutAttributes;
import dev.lookout.filters.internal.pipeline.CurrentRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import io.opentelemetry.context.Scope;
import org.apache.logging.log4j.ThreadContext;

/**
 * The one filter that observes each request. Registered first in the chain for REQUEST and ASYNC
 * dispatches; it observes a request once however often it is mapped or re-dispatched, always calls
 * the chain, and rethrows the application's exceptions unchanged. Internal.
 */
public final class LookoutFilter implements Filter {

  private volatile LookoutRuntime runtime;

  /** For declaration in {@code web.xml}: the runtime is found or created at {@link #init}. */
  public LookoutFilter() {}

  public LookoutFilter(LookoutRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public void init(FilterConfig filterConfig) {
    if (runtime == null) {
      runtime = LookoutRuntime.get(filterConfig.getServletContext());
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
      chain.doFilter(req, res);
      return;
    }
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    Object existing = request.getAttribute(LookoutAttributes.OBSERVATION);
    if (existing != null) {
      continueObservation(existing, request, response, chain);
      return;
    }

    Map<String, String> savedContext = ThreadContext.isEmpty() ? null : ThreadContext.getImmutableContext();
    int savedDepth = ThreadContext.getDepth();
    RequestObservation observation;
    try {
      observation = runtime.start(request, response);
      runtime.putLogContext(observation);
      if (observation.accessLogged && runtime.accessLog.isStartedEnabled()) {
        runtime.accessLog.started(request.getMethod(), request.getRequestURI(), request.getQueryString());
      }
    } catch (Throwable t) {
      FailOpen.report("starting the observation of a request", t);
      restoreLogContext(savedContext, savedDepth);
      chain.doFilter(request, response);
      return;
    }

    // The span is current while the application runs: its own spans and logs join the trace.
    Scope scope = observation.makeSpanCurrent();
    RequestObservation previousRequest = CurrentRequest.set(observation);
    Throwable failure = null;
    try {
      chain.doFilter(request, response);
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      try {
        if (failure == null && request.isAsyncStarted()) {
          request.getAsyncContext().addListener(observation, request, response);
        } else {
          observation.finish(failure);
        }
      } catch (Throwable t) {
        FailOpen.report("finishing the observation of a request", t);
      } finally {
        CurrentRequest.set(previousRequest);
        closeQuietly(scope);
        restoreLogContext(savedContext, savedDepth);
      }
    }
  }

  /**
   * A request already observed: an ASYNC re-dispatch (give it the log context) or a second mapping
   * of this filter (just pass it on).
   */
  private static void continueObservation(
      Object existing, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getDispatcherType() != DispatcherType.ASYNC || !(existing instanceof RequestObservation)) {
      chain.doFilter(request, response);
      return;
    }
    RequestObservation observation = (RequestObservation) existing;
    Map<String, String> savedContext = ThreadContext.isEmpty() ? null : ThreadContext.getImmutableContext();
    int savedDepth = ThreadContext.getDepth();
    try {
      observation.runtime.putLogContext(observation);
    } catch (Throwable t) {
      FailOpen.report("restoring the log context of an async dispatch", t);
    }
    Scope scope = observation.makeSpanCurrent();
    RequestObservation previousRequest = CurrentRequest.set(observation);
    try {
      chain.doFilter(request, response);
    } catch (Throwable t) {
      observation.failedInAsyncDispatch(t);
      throw t;
    } finally {
      CurrentRequest.set(previousRequest);
      closeQuietly(scope);
      restoreLogContext(savedContext, savedDepth);
    }
  }

  /**
   * Puts the log context back as it was before the request, dropping whatever the request (or the
   * application) added, so that nothing leaks into the next request on this pooled thread.
   *
   * @param depth the context stack depth to return to, or -1 to leave the stack alone
   */
  static void restoreLogContext(Map<String, String> saved, int depth) {
    try {
      ThreadContext.clearMap();
      if (saved != null) {
        ThreadContext.putAll(saved);
      }
      if (depth >= 0 && ThreadContext.getDepth() > depth) {
        ThreadContext.trim(depth);
      }
    } catch (Throwable t) {
      FailOpen.report("restoring the log context", t);
    }
  }

  private static void closeQuietly(Scope scope) {
    if (scope != null) {
      try {
        scope.close();
      } catch (RuntimeException e) {
        FailOpen.report("closing the span scope", e);
      }
    }
  }

  @Override
  public void destroy() {}
}
