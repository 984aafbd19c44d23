package dev.lookout.filters.internal.pipeline;

/**
 * Which request and correlation IDs a request gets: an incoming ID only when it is safe to log and
 * echo ({@link RequestIds#isValid}), else a new one — the trace ID when there is one, so that one
 * ID finds both the logs and the trace; the correlation ID defaults to the request ID. Plain Java,
 * no servlet types. Internal.
 */
public final class RequestIdPolicy {

  /** Told when an incoming ID was unusable and replaced. */
  public interface Rejections {
    Rejections NONE = new Rejections() {
      @Override
      public void requestIdRejected() {}

      @Override
      public void correlationIdRejected() {}
    };

    void requestIdRejected();

    void correlationIdRejected();
  }

  private final Rejections rejections;

  public RequestIdPolicy(Rejections rejections) {
    this.rejections = rejections;
  }

  /**
   * The request ID for an incoming header value (null when absent).
   *
   * @param traceId the request's trace ID, or null without tracing
   */
  public String requestId(String incoming, String traceId) {
    if (incoming != null) {
      if (RequestIds.isValid(incoming)) {
        return incoming;
      }
      rejections.requestIdRejected();
    }
    return traceId != null ? traceId : RequestIds.generate();
  }

  /**
   * The correlation ID for an incoming header value (null when absent).
   *
   * @return the incoming value when valid, else {@code requestId}
   */
  public String correlationId(String incoming, String requestId) {
    if (incoming != null) {
      if (RequestIds.isValid(incoming)) {
        return incoming;
      }
      rejections.correlationIdRejected();
    }
    return requestId;
  }
}
