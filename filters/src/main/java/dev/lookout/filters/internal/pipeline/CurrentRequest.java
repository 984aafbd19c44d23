package dev.lookout.filters.internal.pipeline;

import dev.lookout.filters.internal.RequestObservation;

/**
 * The request Lookout observes on the current thread: set by the filter around the application
 * (request thread and each async dispatch) and around the completion, so that code running inside a
 * request — the JDBC wrapper, flows — can add to it without a servlet API reference. Internal.
 */
public final class CurrentRequest {

  private static final ThreadLocal<RequestObservation> CURRENT = new ThreadLocal<>();

  private CurrentRequest() {}

  /** The request observed on this thread, or null outside a request. */
  public static RequestObservation get() {
    return CURRENT.get();
  }

  /**
   * Makes {@code observation} current on this thread.
   *
   * @return the previous one, to hand back to {@link #restore}
   */
  public static RequestObservation enter(RequestObservation observation) {
    RequestObservation previous = CURRENT.get();
    CURRENT.set(observation);
    return previous;
  }

  /** Puts back what {@link #enter} replaced. */
  public static void restore(RequestObservation previous) {
    // set, not remove: a removed entry is allocated again by the next request on this pooled
    // thread; an entry holding null keeps nothing alive (its key is weak, its value null)
    CURRENT.set(previous);
  }
}
