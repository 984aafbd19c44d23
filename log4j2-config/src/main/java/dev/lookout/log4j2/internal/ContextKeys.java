package dev.lookout.log4j2.internal;

/**
 * The log-context keys lookout-filters writes for each request, as this module reads them (the
 * names are a contract, {@code docs/contracts.md}, checked by a test). Internal.
 */
public final class ContextKeys {

  public static final String REQUEST_ID = "request_id";
  public static final String CORRELATION_ID = "correlation_id";
  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";
  public static final String TRACE_FLAGS = "trace_flags";
  public static final String LOG_ALL = "log_all";

  /** All of them, in the contract's order. */
  public static final String[] ALL = {REQUEST_ID, CORRELATION_ID, TRACE_ID, SPAN_ID, TRACE_FLAGS, LOG_ALL};

  private ContextKeys() {}
}
