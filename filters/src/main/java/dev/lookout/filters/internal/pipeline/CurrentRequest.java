package dev.lookout.filters.internal.pipeline;

import dev.lookout.filters.internal.RequestObservation;

/** The request observed on this thread, for other Lookout modules. Internal. */
public final class CurrentRequest {

  private static final ThreadLocal<RequestObservation> CURRENT = new ThreadLocal<>();

  private CurrentRequest() {}

  /** The request observed on this thread, or null. */
  public static RequestObservation get() {
    return CURRENT.get();
  }

  /** Sets the request of this thread; returns the previous one, to restore. */
  public static RequestObservation set(RequestObservation observation) {
    RequestObservation previous = CURRENT.get();
    if (observation == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(observation);
    }
    return previous;
  }
}
