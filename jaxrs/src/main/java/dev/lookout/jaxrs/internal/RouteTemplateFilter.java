package dev.lookout.jaxrs.internal;

import dev.lookout.filters.LookoutAttributes;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * After matching, puts the full route template of the request in the {@code dev.lookout.route}
 * request attribute: servlet path + {@code @Path}s of the matched class, locators and method, with
 * parameter regexes stripped. Internal.
 */
@Priority(Priorities.USER - 500)
public final class RouteTemplateFilter implements ContainerRequestFilter {

  /** Templates computed from annotations, per resource method and servlet path (bounded). */
  private static final ConcurrentHashMap<Method, String[]> BY_METHOD = new ConcurrentHashMap<>();

  private static final int CACHE_LIMIT = 10_000;

  @Context private ResourceInfo resourceInfo;
  @Context private HttpServletRequest servletRequest;

  /** Counts invocations, to prove in tests that the filter runs once per request. */
  static final java.util.concurrent.atomic.AtomicLong INVOCATIONS = new java.util.concurrent.atomic.AtomicLong();

  @Override
  public void filter(ContainerRequestContext request) {
    try {
      INVOCATIONS.incrementAndGet();
      if (request.getProperty(GUARD) != null) {
        return; // already done for this request (a second registration would land here)
      }
      request.setProperty(GUARD, Boolean.TRUE);
      String prefix = servletPath();
      // The request's own UriInfo is the runtime's object (an injected one may be a proxy).
      UriInfo own = request.getUriInfo();
      String template = JerseySupport.template(prefix, own);
      if (template == null) {
        template = ResteasySupport.template(prefix, own);
      }
      if (template == null) {
        template = fromResourceInfo(prefix);
      }
      if (template != null) {
        if (servletRequest != null) {
          servletRequest.setAttribute(LookoutAttributes.ROUTE, template);
        } else {
          request.setProperty(LookoutAttributes.ROUTE, template);
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // fail-open: the request goes on, its endpoint stays the servlet mapping
    }
  }

  static final String GUARD = "dev.lookout.jaxrs.route_done";

  private String servletPath() {
    try {
      return servletRequest == null ? "" : servletRequest.getServletPath();
    } catch (RuntimeException e) {
      return ""; // no servlet request in this runtime
    }
  }

  private String fromResourceInfo(String prefix) {
    Method m = resourceInfo == null ? null : resourceInfo.getResourceMethod();
    if (m == null) {
      return null;
    }
    String[] cached = BY_METHOD.get(m);
    if (cached != null && cached[0].equals(prefix)) {
      return cached[1];
    }
    String t = RouteTemplates.fromAnnotations(prefix, resourceInfo.getResourceClass(), m);
    if (BY_METHOD.size() < CACHE_LIMIT) {
      BY_METHOD.put(m, new String[] {prefix, t});
    }
    return t;
  }
}
