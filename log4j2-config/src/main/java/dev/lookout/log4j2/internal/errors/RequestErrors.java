package dev.lookout.log4j2.internal.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One request's error-tracking state: its breadcrumbs (a bounded ring, the newest kept) and the
 * error events it logged before its outcome was known. Creating one costs one small object and
 * completing a request that held nothing one atomic swap; nothing of the SDK is touched until the
 * request logs or fails. Thread-safe without locks. Internal.
 */
final class RequestErrors {

  /** Most breadcrumbs kept per request (the SDK's default); older ones are overwritten. */
  static final int MAX_BREADCRUMBS = 100;
  /** Most error events held per request until its outcome is known. */
  static final int MAX_PENDING = 8;

  private static final Object[] NONE = {};
  private static final Object[] COMPLETED = {};
  private static final AtomicReferenceFieldUpdater<RequestErrors, Object[]> PENDING =
      AtomicReferenceFieldUpdater.newUpdater(RequestErrors.class, Object[].class, "pending");
  private static final AtomicIntegerFieldUpdater<RequestErrors> CRUMB_COUNT =
      AtomicIntegerFieldUpdater.newUpdater(RequestErrors.class, "crumbCount");

  /** One log event kept as a breadcrumb: only what the event needs, already redacted by key. */
  record Crumb(long timeMillis, String level, String logger, String message) {}

  final String requestId;
  private volatile boolean ended;
  private volatile String userId;
  private volatile Object[] pending = NONE;
  private volatile AtomicReferenceArray<Crumb> crumbs;
  private volatile int crumbCount;

  // Written before complete() and read after isCompleted(): published by the swap of pending.
  String method;
  String endpoint;
  int status;
  Throwable failure;

  RequestErrors(String requestId) {
    this.requestId = requestId;
  }

  boolean isEnded() {
    return ended;
  }

  void end() {
    ended = true;
  }

  boolean isCompleted() {
    return pending == COMPLETED;
  }

  void setUserId(String id) {
    userId = id;
  }

  String userId() {
    return userId;
  }

  void addCrumb(Crumb c) {
    AtomicReferenceArray<Crumb> ring = crumbs;
    if (ring == null) {
      synchronized (this) { // once per request that logs
        ring = crumbs;
        if (ring == null) {
          ring = new AtomicReferenceArray<>(MAX_BREADCRUMBS);
          crumbs = ring;
        }
      }
    }
    int i = CRUMB_COUNT.getAndIncrement(this);
    ring.set(Math.floorMod(i, MAX_BREADCRUMBS), c);
  }

  /** The breadcrumbs, oldest first. */
  List<Crumb> crumbs() {
    AtomicReferenceArray<Crumb> ring = crumbs;
    if (ring == null) {
      return List.of();
    }
    int n = crumbCount;
    int from = Math.max(0, n - MAX_BREADCRUMBS);
    List<Crumb> out = new ArrayList<>(n - from);
    for (int i = from; i < n; i++) {
      Crumb c = ring.get(Math.floorMod(i, MAX_BREADCRUMBS));
      if (c != null) {
        out.add(c);
      }
    }
    out.sort((a, b) -> Long.compare(a.timeMillis(), b.timeMillis()));
    return out;
  }

  /** Holds an error event until the outcome is known; false when completed or already holding the most. */
  boolean hold(Object event) {
    while (true) {
      Object[] current = pending;
      if (current == COMPLETED || current.length >= MAX_PENDING) {
        return false;
      }
      Object[] next = java.util.Arrays.copyOf(current, current.length + 1);
      next[current.length] = event;
      if (PENDING.compareAndSet(this, current, next)) {
        return true;
      }
    }
  }

  /** Marks the request completed and hands over the held events (once; later calls get none). */
  List<Object> complete() {
    Object[] held = PENDING.getAndSet(this, COMPLETED);
    return held.length == 0 ? List.of() : List.of(held);
  }
}
