package dev.lookout.filters.internal.pipeline;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.logging.log4j.ThreadContext;

/**
 * Writes a request's keys into Log4j's {@code ThreadContext} and puts the context back as it was
 * afterwards, so that nothing leaks into the next request on a pooled thread. The names of the keys
 * are a contract ({@code docs/contracts.md}). Internal.
 */
public final class LogContext {

  public static final String REQUEST_ID = "request_id";
  public static final String CORRELATION_ID = "correlation_id";
  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";
  public static final String TRACE_FLAGS = "trace_flags";
  public static final String LOG_ALL = "log_all";

  /** Every key this class writes, in the order of the contract. */
  public static final String[] KEYS = {REQUEST_ID, CORRELATION_ID, TRACE_ID, SPAN_ID, TRACE_FLAGS, LOG_ALL};

  /**
   * Per-thread slots for the request's keys and values: they go into the context in one {@code
   * putAll}, which copies Log4j's copy-on-write map once instead of once per key, through a small
   * map view made per call (a {@code HashMap} would allocate a node per key). The slots are a JDK
   * type on purpose: a container's pooled threads outlive the web application, and a thread-local
   * value of one of its own classes would keep the undeployed application's class loader alive.
   */
  private static final ThreadLocal<String[]> SLOTS = ThreadLocal.withInitial(() -> new String[2 * KEYS.length]);

  private LogContext() {}

  /** What the context held before a request: hand it back to {@link #restore}. */
  public static final class Saved {
    final Map<String, String> map; // null: empty
    final int depth;

    Saved(Map<String, String> map, int depth) {
      this.map = map;
      this.depth = depth;
    }
  }

  /** The current context, to restore later ({@code withStack}: also the NDC stack depth). */
  public static Saved save(boolean withStack) {
    int depth = withStack ? ThreadContext.getDepth() : -1;
    if (ThreadContext.isEmpty() && depth <= 0) {
      return depth == 0 ? EMPTY_NO_STACK : EMPTY; // the common case costs no allocation
    }
    return new Saved(ThreadContext.isEmpty() ? null : ThreadContext.getImmutableContext(), depth);
  }

  private static final Saved EMPTY = new Saved(null, -1);
  private static final Saved EMPTY_NO_STACK = new Saved(null, 0);

  /**
   * Adds a request's keys in one write; null values are left out.
   *
   * @param traceFlags {@code "01"} or {@code "00"}, or null without a span
   */
  public static void put(String requestId, String correlationId, String traceId, String spanId, String traceFlags, boolean logAll) {
    Scratch keys = new Scratch(SLOTS.get());
    try {
      if (requestId != null) {
        keys.put(REQUEST_ID, requestId);
        keys.put(CORRELATION_ID, correlationId != null ? correlationId : requestId);
      }
      if (traceId != null) {
        keys.put(TRACE_ID, traceId);
        keys.put(SPAN_ID, spanId);
        keys.put(TRACE_FLAGS, traceFlags);
      }
      if (logAll) {
        keys.put(LOG_ALL, "true");
      }
      if (!keys.isEmpty()) {
        ThreadContext.putAll(keys);
      }
    } finally {
      keys.reset();
    }
  }

  /**
   * At most {@link #KEYS}.length entries in the thread's slots (keys first, then values), read once
   * by {@code putAll} through an entry set that is its own iterator and entry (read before the next
   * call).
   */
  private static final class Scratch extends AbstractMap<String, String> {
    private final String[] slots;
    private int size;
    private final Entries entries = new Entries();

    Scratch(String[] slots) {
      this.slots = slots;
    }

    @Override
    public String put(String key, String value) {
      slots[size] = key;
      slots[KEYS.length + size++] = value;
      return null;
    }

    void reset() {
      for (int i = 0; i < size; i++) {
        slots[i] = null;
        slots[KEYS.length + i] = null;
      }
      size = 0;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
      return entries;
    }

    private final class Entries extends AbstractSet<Map.Entry<String, String>>
        implements Iterator<Map.Entry<String, String>>, Map.Entry<String, String> {
      private int next;

      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        next = 0;
        return this;
      }

      @Override
      public int size() {
        return size;
      }

      @Override
      public boolean hasNext() {
        return next < size;
      }

      @Override
      public Map.Entry<String, String> next() {
        if (next >= size) {
          throw new NoSuchElementException();
        }
        next++;
        return this;
      }

      @Override
      public String getKey() {
        return slots[next - 1];
      }

      @Override
      public String getValue() {
        return slots[KEYS.length + next - 1];
      }

      @Override
      public String setValue(String value) {
        throw new UnsupportedOperationException();
      }
    }
  }

  /**
   * Puts the context back as {@link #save} found it, dropping whatever the request (or the
   * application) added; never throws.
   */
  public static void restore(Saved saved) {
    try {
      ThreadContext.clearMap();
      if (saved.map != null) {
        ThreadContext.putAll(saved.map);
      }
      if (saved.depth >= 0 && ThreadContext.getDepth() > saved.depth) {
        ThreadContext.trim(saved.depth);
      }
    } catch (Throwable t) {
      dev.lookout.filters.internal.FailOpen.report("restoring the log context", t);
    }
  }
}
