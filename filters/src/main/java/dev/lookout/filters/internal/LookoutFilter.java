package dev.lookout.filters.internal;

import dev.lookout.filters.LookoutAttributes;
import dev.lookout.filters.internal.pipeline.LogContext;
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

/**
 * The one filter that observes each request. Registered first in the chain for REQUEST and ASYNC
 * dispatches; it observes a request once however often it is mapped or re-dispatched, always calls
 * the chain, and rethrows the application's exceptions unchanged. Internal.
 */
public final class LookoutFilter implements Filter {

  private volatile RequestPipeline pipeline; // null: Lookout is off, pass everything through
  private FilterConfig config;

  /** For declaration in {@code web.xml}: the runtime is found or created at {@link #init}. */
  public LookoutFilter() {}

  LookoutFilter(LookoutRuntime runtime) {
    this.pipeline = runtime.pipeline();
  }

  @Override
  public void init(FilterConfig filterConfig) {
    this.config = filterConfig;
    if (pipeline == null) {
      LookoutRuntime runtime = LookoutRuntime.get(filterConfig.getServletContext());
      pipeline = runtime == null ? null : runtime.pipeline();
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    RequestPipeline p = pipeline;
    if (p == null || !(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
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

    RequestObservation observation;
    try {
      observation = p.begin(request, response);
    } catch (Throwable t) {
      FailOpen.report("starting the observation of a request", t);
      chain.doFilter(request, response);
      return;
    }
    // From here on the observation is finished whatever happens.
    LogContext.Saved saved = LogContext.save(true);
    RequestObservation.Entered entered = observation.enter();
    Throwable failure = null;
    try {
      try {
        p.started(observation);
      } catch (Throwable t) {
        FailOpen.report("writing the request_started event", t);
      }
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
        observation.finish(failure); // a no-op when it already ran
      } finally {
        observation.leave(entered);
        LogContext.restore(saved);
      }
    }
  }

  /**
   * A request already observed: an ASYNC re-dispatch (give it the request's context) or a second
   * mapping of this filter (just pass it on).
   */
  private static void continueObservation(
      Object existing, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getDispatcherType() != DispatcherType.ASYNC || !(existing instanceof RequestObservation)) {
      chain.doFilter(request, response);
      return;
    }
    RequestObservation observation = (RequestObservation) existing;
    LogContext.Saved saved = LogContext.save(true);
    RequestObservation.Entered entered = observation.enter();
    try {
      chain.doFilter(request, response);
    } catch (Throwable t) {
      observation.failedInAsyncDispatch(t);
      throw t;
    } finally {
      observation.leave(entered);
      LogContext.restore(saved);
    }
  }

  @Override
  public void destroy() {
    if (config != null) {
      LookoutRuntime.componentDestroyed(config.getServletContext());
    }
  }
}
