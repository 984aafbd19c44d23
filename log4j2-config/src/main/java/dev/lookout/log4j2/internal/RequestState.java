package dev.lookout.log4j2.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.util.StringMap;

/**
 * What this module holds for one request, from {@code requestStarted} to {@code requestEnded}: the
 * sampling decision made once, whether it logged an ERROR, and the events sampled out of it until
 * its fate is known — written in order, marked {@code flushed}, when it logs an ERROR or ends with
 * a 5xx; discarded otherwise. The state is bound to the threads that carry the request (never
 * looked up by ID), so there is no table of requests that could grow. Buffers are bounded per
 * request (oldest events go first) and in total (past it, new events are not buffered). Internal.
 */
public final class RequestState {

  /** Context key added to events written from the buffer. */
  public static final String FLUSHED = "flushed";

  private static final ThreadLocal<RequestState> CURRENT = new ThreadLocal<>();
  /** Bytes held by all request buffers of this class loader. */
  private static final AtomicLong TOTAL = new AtomicLong();

  public final String requestId;
  /** Keep every event: forced logging, or the request's exported trace is sampled. */
  public final boolean keepAll;
  /** Bit i set: events of level index i are in the sample (bits, not an array: one object less per request). */
  private final int keptLevels;
  private final long perRequestBytes;
  private final long totalBytes;
  /** The error tracker's state for this request, or null. */
  public volatile Object errorState;

  private volatile boolean failed;
  private volatile boolean completing;
  private ArrayDeque<Pending> events; // guarded by this
  private long bytes; // guarded by this

  /**
   * @param keptLevels bit 0: WARN is in the sample, bit 1: INFO, bit 2: DEBUG and TRACE
   */
  public RequestState(String requestId, boolean keepAll, int keptLevels, long perRequestBytes, long totalBytes) {
    this.requestId = requestId;
    this.keepAll = keepAll;
    this.keptLevels = keptLevels;
    this.perRequestBytes = perRequestBytes;
    this.totalBytes = totalBytes;
  }

  /** A request when no sampling filter runs: nothing sampled, nothing buffered. */
  public static RequestState unsampled(String requestId) {
    return new RequestState(requestId, true, 0b111, 0, 0);
  }

  /** The request this thread carries, or null. */
  public static RequestState current() {
    return CURRENT.get();
  }

  /** Binds a request to this thread; returns the previous one, for {@link #restore}. */
  public static RequestState enter(RequestState state) {
    RequestState previous = CURRENT.get();
    CURRENT.set(state);
    return previous;
  }

  public static void restore(RequestState previous) {
    // set, not remove: a removed entry is allocated again by the next request on this pooled
    // thread; an entry holding null keeps nothing alive (its key is weak, its value null)
    CURRENT.set(previous);
  }

  /** Whether an event of this level index (0 WARN, 1 INFO, 2 DEBUG/TRACE) is in the sample. */
  public boolean keeps(int levelIndex) {
    return keepAll || (keptLevels & (1 << levelIndex)) != 0;
  }

  /** The request logged an ERROR (or ends with a 5xx): everything it logs from now on is kept. */
  public boolean failed() {
    return failed;
  }

  /** The request is completing: what it drops now is not worth buffering. */
  public boolean completing() {
    return completing;
  }

  /** Marks the request failed and writes what it had buffered, in order. */
  public void fail() {
    failed = true;
    for (Pending p : take()) {
      p.target.log(markFlushed(p.event));
    }
  }

  /**
   * The request is completing with this status: a 5xx writes the buffer (and keeps what follows),
   * anything else discards it.
   */
  public void complete(int status) {
    completing = true;
    if (status >= 500 || failed) {
      fail();
    } else {
      discard();
    }
  }

  /** Drops what is still buffered (counted as sampled). */
  public void discard() {
    for (Pending p : take()) {
      DropCounters.count(p.event.getLevel(), DropCounters.SAMPLED);
    }
  }

  /** Keeps an event (an immutable copy) until the request's fate is known. */
  public void add(LoggerConfig target, LogEvent event) {
    long size = estimate(event);
    if (size > perRequestBytes) {
      DropCounters.count(event.getLevel(), DropCounters.BUFFER_EVICTED);
      return;
    }
    if (TOTAL.addAndGet(size) > totalBytes) {
      TOTAL.addAndGet(-size);
      DropCounters.count(event.getLevel(), DropCounters.BUFFER_EVICTED);
      return;
    }
    synchronized (this) {
      if (events == null) {
        events = new ArrayDeque<>();
      }
      events.add(new Pending(target, event, size));
      bytes += size;
      while (bytes > perRequestBytes) {
        Pending oldest = events.poll();
        bytes -= oldest.size;
        TOTAL.addAndGet(-oldest.size);
        DropCounters.count(oldest.event.getLevel(), DropCounters.BUFFER_EVICTED);
      }
    }
  }

  /** Events buffered now (for tests). */
  public synchronized int buffered() {
    return events == null ? 0 : events.size();
  }

  /** Bytes held by all buffers (for tests). */
  public static long totalBuffered() {
    return TOTAL.get();
  }

  private synchronized List<Pending> take() {
    if (events == null || events.isEmpty()) {
      return List.of();
    }
    List<Pending> out = new ArrayList<>(events);
    events.clear();
    TOTAL.addAndGet(-bytes);
    bytes = 0;
    return out;
  }

  private static LogEvent markFlushed(LogEvent event) {
    StringMap data = ContextDataFactory.createContextData(event.getContextData());
    data.putValue(FLUSHED, "true");
    return new Log4jLogEvent.Builder(event).setContextData(data).build();
  }

  private static long estimate(LogEvent e) {
    long n = 200;
    String m = e.getMessage().getFormattedMessage();
    n += m == null ? 0 : 2L * m.length();
    n += 64L * e.getContextData().size();
    if (e.getThrown() != null) {
      n += 4096;
    }
    return n;
  }

  private record Pending(LoggerConfig target, LogEvent event, long size) {}
}
