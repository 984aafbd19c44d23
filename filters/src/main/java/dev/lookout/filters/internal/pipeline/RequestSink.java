package dev.lookout.filters.internal.pipeline;

import dev.lookout.filters.internal.RequestObservation;

/**
 * One consumer of finished requests (metrics, span, access log, the log module's seam …). The
 * runtime calls its sinks in a fixed order, each isolated: one that throws is reported once and the
 * others still run. A sink must be fast and must not block. Internal.
 */
public interface RequestSink {

  /** A name for failure reports, e.g. {@code "request metrics"}. */
  String name();

  /**
   * The request completed (called once, on the thread that completes it, with its log context and
   * span current).
   */
  void requestCompleted(RequestObservation observation, RequestOutcome outcome);
}
