package dev.lookout.jaxrs.internal;

/** Test access to the route filter's invocation count (same package, test class path). */
public final class ResteasyProbe {
  private ResteasyProbe() {}

  public static long invocations() {
    return RouteTemplateFilter.INVOCATIONS.get();
  }
}
