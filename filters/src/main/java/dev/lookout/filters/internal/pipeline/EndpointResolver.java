package dev.lookout.filters.internal.pipeline;

import dev.lookout.filters.internal.metrics.PathNormalizer;

/**
 * Decides the {@code endpoint} of a finished request — the metric label, the access-log field and
 * (unless it is a fixed value) the span's route — from what the request tells, in this order: the
 * route template a framework set; a fixed value for 404 and redirections; the normalised path when
 * asked for and the mapping is a wildcard; the servlet mapping pattern; {@code UNKNOWN}. Never a
 * raw path unless the normaliser is on. Plain Java, no servlet types. Internal.
 */
public final class EndpointResolver {

  /** Fixed endpoint values: always allowed, never counted against the limit, never a route. */
  public static final String NOT_FOUND = "NOT_FOUND";

  public static final String REDIRECTION = "REDIRECTION";
  public static final String UNKNOWN = "UNKNOWN";
  public static final String OTHER = "OTHER";

  private final boolean pathNormalizer;
  private final String metricsPath;
  private final String healthPath;
  private final String healthPattern;

  /**
   * @param metricsPath the metrics servlet's path, or empty when not served
   * @param healthPath the health servlet's base path, or empty when not served
   */
  public EndpointResolver(boolean pathNormalizer, String metricsPath, String healthPath) {
    this.pathNormalizer = pathNormalizer;
    this.metricsPath = metricsPath;
    this.healthPath = healthPath;
    this.healthPattern = healthPath.isEmpty() ? "" : healthPath + "/*";
  }

  /**
   * The endpoint of a finished request.
   *
   * @param route the route attribute as set by a framework (any type; only a non-empty string counts)
   * @param mappingPattern the servlet mapping pattern, or null
   * @param pathInContext the request path without the context path (used only by the normaliser)
   */
  public String resolve(Object route, int status, String mappingPattern, String pathInContext) {
    if (route instanceof String s && !s.isEmpty()) {
      return s;
    }
    if (status == 404) {
      return NOT_FOUND;
    }
    if (status >= 300 && status < 400) {
      return REDIRECTION;
    }
    if (pathNormalizer
        && pathInContext != null
        && (mappingPattern == null || mappingPattern.equals("/") || mappingPattern.endsWith("/*"))) {
      return PathNormalizer.normalize(pathInContext);
    }
    return mappingPattern != null ? mappingPattern : UNKNOWN;
  }

  /** Whether the mapping pattern is one of Lookout's own endpoints (scrapes and probes). */
  public boolean isLookoutEndpoint(String mappingPattern) {
    return mappingPattern != null
        && !mappingPattern.isEmpty()
        && (mappingPattern.equals(metricsPath) || mappingPattern.equals(healthPath) || mappingPattern.equals(healthPattern));
  }

  /** Whether {@code endpoint} is one of the fixed values rather than a template or pattern. */
  public static boolean isFixed(String endpoint) {
    return NOT_FOUND.equals(endpoint) || REDIRECTION.equals(endpoint) || UNKNOWN.equals(endpoint) || OTHER.equals(endpoint);
  }

  /** The route for span names and {@code http.route}: the endpoint, or null for a fixed value. */
  public static String routeOf(String endpoint) {
    return endpoint == null || isFixed(endpoint) ? null : endpoint;
  }
}
