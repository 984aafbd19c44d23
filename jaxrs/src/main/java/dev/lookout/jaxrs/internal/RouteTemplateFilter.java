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
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * After matching, puts the full route template of the request in the {@code dev.lookout.route}
 * request attribute: servlet path + {@code @Path}s of the matched class, locators and method, with
 * parameter regexes stripped. Jersey's matched templates are used when present; elsewhere (RESTEasy)
 * the chain is rebuilt from {@code UriInfo.getMatchedResources()} and the annotations, once per
 * resource method. Internal.
 */
@Priority(Priorities.USER - 500)
public final class RouteTemplateFilter implements ContainerRequestFilter {

  /** Templates computed from annotations, per (resource method, root resource class, servlet path); bounded. */
  private static final ConcurrentHashMap<TemplateKey, String> BY_METHOD = new ConcurrentHashMap<>();

  private record TemplateKey(Method method, Class<?> root, String prefix) {}

  private static final int CACHE_LIMIT = 10_000;

  @Context private ResourceInfo resourceInfo;
  @Context private HttpServletRequest servletRequest;

  @Override
  public void filter(ContainerRequestContext request) {
    try {
      if (request.getProperty(GUARD) != null) {
        return; // already done for this request (a second registration would land here)
      }
      request.setProperty(GUARD, Boolean.TRUE);
      String prefix = servletPath();
      // The request's own UriInfo is the runtime's object (an injected one may be a proxy).
      UriInfo own = request.getUriInfo();
      String template = JerseySupport.template(prefix, own);
      if (template == null) {
        template = fromMatchedResources(prefix, own);
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

  /**
   * The portable way: the {@code @Path} of the root resource class, of each sub-resource locator on
   * the way (found by its return type), and of the resource method.
   */
  private String fromMatchedResources(String prefix, UriInfo uriInfo) {
    Method m = resourceInfo == null ? null : resourceInfo.getResourceMethod();
    if (m == null) {
      return null;
    }
    List<Object> matched = uriInfo == null ? List.of() : uriInfo.getMatchedResources();
    Class<?> root = matched.isEmpty() ? resourceInfo.getResourceClass() : matched.get(matched.size() - 1).getClass();
    TemplateKey key = new TemplateKey(m, root, prefix);
    String cached = BY_METHOD.get(key);
    if (cached != null) {
      return cached;
    }
    List<String> parts = new ArrayList<>();
    if (matched.size() <= 1) {
      parts.add(RouteTemplates.pathOf(resourceInfo.getResourceClass()));
    } else {
      parts.add(RouteTemplates.pathOf(root));
      for (int i = matched.size() - 1; i > 0; i--) {
        Method locator = RouteTemplates.locator(matched.get(i).getClass(), matched.get(i - 1).getClass());
        if (locator == null) {
          return RouteTemplates.fromAnnotations(prefix, resourceInfo.getResourceClass(), m); // ambiguous chain
        }
        parts.add(RouteTemplates.pathOf(locator));
      }
    }
    parts.add(RouteTemplates.pathOf(m));
    String t = RouteTemplates.join(prefix, parts);
    if (BY_METHOD.size() < CACHE_LIMIT) {
      BY_METHOD.put(key, t);
    }
    return t;
  }
}
