package dev.lookout.filters.internal.flow;

import dev.lookout.filters.internal.FailOpen;
import dev.lookout.filters.internal.LookoutRuntime;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.message.MapMessage;

/**
 * One run of a {@link dev.lookout.filters.Flow}: its ID, log and baggage scope, events, spans
 * events and metrics; every method is fail-open. Internal.
 */
public final class FlowRun {

  static final String COMPLETED = "completed";
  static final String FAILED = "failed";
  static final String ABANDONED = "abandoned";

  private static final Logger LOG = LogManager.getLogger("lookout.flow");
  private static final AttributeKey<String> FLOW_ID = AttributeKey.stringKey("flow.id");
  private static final AttributeKey<String> FLOW_NAME = AttributeKey.stringKey("flow.name");
  private static final AttributeKey<String> FLOW_STEP = AttributeKey.stringKey("flow.step");
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final int MAX_NAME = 64;

  private final String name;
  private final String id;
  private final long startNanos;
  private final String previousId; // the starting thread's flow_id before this flow, or null
  private final Scope baggageScope; // null: none made current
  private final FlowMetrics.Labels metrics; // null: no runtime (metrics off, not started)
  private final AtomicReference<String> outcome = new AtomicReference<>();
  private final AtomicInteger steps = new AtomicInteger();
  private volatile String lastStep;

  private FlowRun(String name, String id, String previousId, Scope baggageScope, FlowMetrics.Labels metrics) {
    this.name = name;
    this.id = id;
    this.startNanos = System.nanoTime();
    this.previousId = previousId;
    this.baggageScope = baggageScope;
    this.metrics = metrics;
  }

  public static FlowRun start(String rawName, Object[] fields) {
    String name = cleanName(rawName);
    String id = newId(name);
    String previous = null;
    Scope scope = null;
    FlowMetrics.Labels labels = null;
    try {
      previous = ThreadContext.get(FlowContext.KEY);
      ThreadContext.put(FlowContext.KEY, id);
      scope = Context.current().with(Baggage.current().toBuilder().put(FlowContext.KEY, id).build()).makeCurrent();
      LookoutRuntime runtime = LookoutRuntime.current();
      labels = runtime == null ? null : FlowMetrics.of(runtime).labels(name);
    } catch (RuntimeException | LinkageError e) {
      FailOpen.report("starting a flow", e);
    }
    FlowRun run = new FlowRun(name, id, previous, scope, labels);
    try {
      MapMessage<?, Object> m = run.event("started");
      if (fields != null) {
        for (int i = 0; i + 1 < fields.length; i += 2) {
          if (fields[i] != null) {
            m.with(String.valueOf(fields[i]), fields[i + 1]);
          }
        }
      }
      LOG.info(m);
      Span.current().addEvent(name + "_flow_started", Attributes.of(FLOW_ID, id, FLOW_NAME, name));
    } catch (RuntimeException | LinkageError e) {
      FailOpen.report("logging a flow's start", e);
    }
    return run;
  }

  public String id() {
    return id;
  }

  public void step(String rawStep) {
    if (outcome.get() != null) {
      return;
    }
    try {
      String step = cleanName(rawStep);
      lastStep = step;
      int n = steps.incrementAndGet();
      if (LOG.isDebugEnabled()) {
        LOG.debug(event("step").with("step", step).with("step_number", n));
      }
      Span.current().addEvent(name + "_flow_step", Attributes.of(FLOW_ID, id, FLOW_STEP, step));
      if (metrics != null) {
        metrics.step(step);
      }
    } catch (RuntimeException | LinkageError e) {
      FailOpen.report("recording a flow step", e);
    }
  }

  public void complete() {
    end(COMPLETED, null);
  }

  public void fail(Throwable error) {
    end(FAILED, error);
  }

  public void close() {
    end(ABANDONED, null);
    try {
      if (baggageScope != null) {
        baggageScope.close();
      }
      if (previousId == null) {
        ThreadContext.remove(FlowContext.KEY);
      } else {
        ThreadContext.put(FlowContext.KEY, previousId);
      }
    } catch (RuntimeException | LinkageError e) {
      FailOpen.report("closing a flow", e);
    }
  }

  private void end(String how, Throwable error) {
    if (!outcome.compareAndSet(null, how)) {
      return;
    }
    try {
      long nanos = System.nanoTime() - startNanos;
      double ms = Math.round(nanos / 1_000.0) / 1_000.0;
      String step = lastStep;
      MapMessage<?, Object> m = event(how == COMPLETED ? "completed" : how == FAILED ? "failed" : "abandoned");
      m.with("duration_ms", ms).with("steps", steps.get());
      if (how != COMPLETED) {
        if (step != null) {
          m.with("last_step", step);
        }
        if (error != null) {
          m.with("error", String.valueOf(error.getMessage())).with("error_type", error.getClass().getName());
        }
      }
      Level level = how == COMPLETED ? Level.INFO : Level.ERROR;
      LOG.log(level, m, error);
      Attributes attributes =
          step == null ? Attributes.of(FLOW_ID, id) : Attributes.of(FLOW_ID, id, FLOW_STEP, step);
      Span.current().addEvent(name + "_flow_" + how, attributes);
      if (metrics != null) {
        metrics.ended(how, nanos / 1e9);
      }
    } catch (RuntimeException | LinkageError e) {
      FailOpen.report("ending a flow", e);
    }
  }

  private MapMessage<?, Object> event(String what) {
    MapMessage<?, Object> m = new MapMessage<>(8);
    m.with("message", name + "_flow_" + what);
    m.with("flow", name);
    return m;
  }

  /** {@code name-} and 8 hex digits: short enough to read, random enough not to collide within a day's logs. */
  static String newId(String name) {
    int r = ThreadLocalRandom.current().nextInt();
    char[] c = new char[name.length() + 9];
    name.getChars(0, name.length(), c, 0);
    int at = name.length();
    c[at++] = '-';
    for (int shift = 28; shift >= 0; shift -= 4) {
      c[at++] = HEX[(r >>> shift) & 0xF];
    }
    return new String(c);
  }

  /** Lower-case letters, digits and {@code _}; anything else becomes {@code _}; at most 64 characters. */
  static String cleanName(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "flow";
    }
    int n = Math.min(raw.length(), MAX_NAME);
    char[] c = new char[n];
    boolean changed = n != raw.length();
    for (int i = 0; i < n; i++) {
      char ch = raw.charAt(i);
      char out = ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '_' ? ch
          : ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : '_';
      changed |= out != ch;
      c[i] = out;
    }
    return changed ? new String(c) : raw;
  }
}
