package dev.lookout.log4j2.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.util.StringMap;

/**
 * Events sampled out during a request, kept until the request's fate is known: written (in order,
 * marked {@code flushed}) when the request logs an ERROR or ends with a 5xx, discarded otherwise.
 * Bounded per request and in total; the oldest events go first. Internal.
 */
public final class RequestBuffers {

  /** Context key added to events written from the buffer. */
  public static final String FLUSHED = "flushed";

  private final long perRequestBytes;
  private final long totalBytes;
  private final ConcurrentHashMap<String, Buffer> buffers = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
  private final AtomicLong used = new AtomicLong();
  /** Requests that logged an ERROR: everything they log from then on is kept. */
  private final ConcurrentHashMap<String, Boolean> failed = new ConcurrentHashMap<>();

  public RequestBuffers(long perRequestBytes, long totalBytes) {
    this.perRequestBytes = perRequestBytes;
    this.totalBytes = totalBytes;
  }

  public boolean hasFailed(String requestId) {
    return !failed.isEmpty() && failed.containsKey(requestId);
  }

  /** Keeps an event of a request; it must be an immutable copy. */
  public void add(String requestId, LoggerConfig target, LogEvent event) {
    long size = estimate(event);
    if (size > perRequestBytes) {
      DropCounters.count(event.getLevel(), DropCounters.BUFFER_EVICTED);
      return;
    }
    Buffer b = buffers.get(requestId);
    if (b == null) {
      Buffer created = new Buffer();
      b = buffers.putIfAbsent(requestId, created);
      if (b == null) {
        b = created;
        order.add(requestId);
      }
    }
    synchronized (b) {
      if (b.closed) {
        DropCounters.count(event.getLevel(), DropCounters.SAMPLED);
        return;
      }
      b.events.add(new Pending(target, event, size));
      b.bytes += size;
      while (b.bytes > perRequestBytes) {
        Pending oldest = b.events.poll();
        b.bytes -= oldest.size;
        used.addAndGet(-oldest.size);
        DropCounters.count(oldest.event.getLevel(), DropCounters.BUFFER_EVICTED);
      }
    }
    if (used.addAndGet(size) > totalBytes) {
      evictOldest(requestId);
    }
  }

  private void evictOldest(String keep) {
    while (used.get() > totalBytes) {
      String oldest = order.poll();
      if (oldest == null) {
        return;
      }
      if (oldest.equals(keep)) {
        order.add(oldest); // never evict the request being written to first
        if (order.size() == 1) {
          return;
        }
        continue;
      }
      Buffer b = buffers.remove(oldest);
      if (b != null) {
        for (Pending p : b.close()) {
          used.addAndGet(-p.size);
          DropCounters.count(p.event.getLevel(), DropCounters.BUFFER_EVICTED);
        }
      }
    }
  }

  /** The request logged an ERROR: write what it had buffered, and keep all it logs from now. */
  public void requestFailed(String requestId) {
    failed.put(requestId, Boolean.TRUE);
    flush(requestId);
  }

  /** The request ended: write its buffer if it failed (5xx or an ERROR), else discard it. */
  public void requestEnded(String requestId, int status) {
    boolean hadError = failed.remove(requestId) != null;
    if (status >= 500 && !hadError) {
      flush(requestId);
      return;
    }
    Buffer b = buffers.remove(requestId);
    order.remove(requestId);
    if (b != null) {
      for (Pending p : b.close()) {
        used.addAndGet(-p.size);
        DropCounters.count(p.event.getLevel(), DropCounters.SAMPLED);
      }
    }
  }

  private void flush(String requestId) {
    Buffer b = buffers.remove(requestId);
    order.remove(requestId);
    if (b == null) {
      return;
    }
    for (Pending p : b.close()) {
      used.addAndGet(-p.size);
      p.target.log(markFlushed(p.event));
    }
  }

  /** Number of requests with buffered events (for tests and the summary). */
  public int size() {
    return buffers.size();
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

  private static final class Buffer {
    final ArrayDeque<Pending> events = new ArrayDeque<>();
    long bytes;
    boolean closed;

    synchronized List<Pending> close() {
      closed = true;
      List<Pending> out = new ArrayList<>(events);
      events.clear();
      return out;
    }
  }
}
