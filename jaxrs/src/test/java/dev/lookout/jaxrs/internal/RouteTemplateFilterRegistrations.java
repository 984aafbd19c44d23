package dev.lookout.jaxrs.internal;

import jakarta.ws.rs.core.Configuration;

/** For tests: how often the route filter is registered in a JAX-RS application's configuration. */
public final class RouteTemplateFilterRegistrations {
  private RouteTemplateFilterRegistrations() {}

  public static long count(Configuration config) {
    long classes = config.getClasses().stream().filter(c -> c == RouteTemplateFilter.class).count();
    long instances = config.getInstances().stream().filter(i -> i instanceof RouteTemplateFilter).count();
    return classes + instances;
  }
}
