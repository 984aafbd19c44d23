package dev.lookout.filters;

/**
 * Names of the request attributes through which Lookout and the frameworks it observes exchange
 * per-request facts; see {@code docs/contracts.md}.
 */
public final class LookoutAttributes {

  /** A route template ({@code String}) set by a framework or the application, e.g. {@code /api/orders/{id}}. */
  public static final String ROUTE = "dev.lookout.route";

  /** The class name ({@code String}) of an exception a framework mapped to a response. */
  public static final String ERROR_TYPE = "dev.lookout.error_type";

  /** The request ID ({@code String}) Lookout accepted or generated for this request. */
  public static final String REQUEST_ID = "dev.lookout.request_id";

  /** The correlation ID ({@code String}) of this request. */
  public static final String CORRELATION_ID = "dev.lookout.correlation_id";

  /** Lookout's own per-request state; its presence means the request is already observed. */
  public static final String OBSERVATION = "dev.lookout.observation";

  private LookoutAttributes() {}
}
