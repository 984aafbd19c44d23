package dev.lookout.log4j2.internal.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One request's error-tracking state: its breadcrumbs (a bounded ring, the newest kept) and the
 * error events it logged before its outcome was known. Creating one costs an object; nothing of
 * the SDK is touched until the request logs or fails. Thread-safe. Internal.
 */
final class RequestErrors {

  /** Most breadcrumbs kept per request (the SDK's default); older ones are overwritten. */
  static final int MAX_BREADCRUMBS = 100;
  /** Most error events held per request until its outcome is known. */
  static final int MAX_PENDING = 8;

  /** One log event kept as a breadcrumb: only what the event needs, already redacted by key. */
  record Crumb(long timeMillis, String level, String logger, String message) {}

  final String requestId;
  private volatile boolean ended;
  private volatile boolean completed;
  private volatile String userId;

  private volatile AtomicReferenceArray<Crumb> crumbs;
  private final AtomicInteger crumbCount = new AtomicInteger();

  private final List<Object> pending = new ArrayList<>(2);

  // Known once the request completes; read by events logged after that.
  volatile String method;
  volatile String endpoint;
  volatile int status;
  volatile Throwable failure;

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
    return completed;
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
      synchronized (this) {
        ring = crumbs;
        if (ring == null) {
          ring = new AtomicReferenceArray<>(MAX_BREADCRUMBS);
          crumbs = ring;
        }
      }
    }
    int i = crumbCount.getAndIncrement();
    ring.set(Math.floorMod(i, MAX_BREADCRUMBS), c);
  }

  /** The breadcrumbs, oldest first. */
  List<Crumb> crumbs() {
    AtomicReferenceArray<Crumb> ring = crumbs;
    if (ring == null) {
      return List.of();
    }
    int n = crumbCount.get();
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

  /** Holds an error event until the outcome is known; false when the request already holds the most. */
  synchronized boolean hold(Object event) {
    if (completed || pending.size() >= MAX_PENDING) {
      return false;
    }
    pending.add(event);
    return true;
  }

  /** Marks the request completed and hands over the held events (once; later calls get none). */
  synchronized List<Object> complete() {
    if (completed) {
      return List.of();
    }
    completed = true;
    List<Object> out = new ArrayList<>(pending);
    pending.clear();
    return out;
  }
}
