package dev.lookout.jaxrs.internal;

/** Test access to the filter's invocation count. */
public final class RouteTemplateFilterProbe {
  private RouteTemplateFilterProbe() {}

  public static long invocations() {
    return RouteTemplateFilter.INVOCATIONS.get();
  }
}
