package dev.lookout.filters.internal.pipeline;

/**
 * How a request ended, computed once when it completes and handed to every {@link RequestSink}:
 * the sinks never look at the request again to decide these facts. Internal.
 *
 * @param methodIndex index into {@code HttpMethods.LABELS}
 * @param method the method as sent (for the access log)
 * @param status the final status code (500 when the application threw)
 * @param endpoint the endpoint label ({@link EndpointResolver})
 * @param route the route template for span names, or null for a fixed endpoint value
 * @param durationNanos from the first filter call to the real completion
 * @param failure the application's exception, or null
 * @param errorType the error type for the span and access log when the request failed, or null
 * @param dbStatements statements the request executed through Lookout's JDBC wrapper
 * @param dbNanos time spent in them
 */
public record RequestOutcome(
    int methodIndex,
    String method,
    int status,
    String endpoint,
    String route,
    long durationNanos,
    Throwable failure,
    String errorType,
    int dbStatements,
    long dbNanos) {

  /** Whether the request counts as failed: an exception or a 5xx. */
  public boolean failed() {
    return failure != null || status >= 500;
  }
}
