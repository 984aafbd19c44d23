package dev.lookout.log4j2.internal.errors;

import dev.lookout.log4j2.RequestLogHooks;
import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.IScopes;
import io.sentry.PropagationContext;
import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.SpanId;
import io.sentry.DataCategory;
import io.sentry.exception.ExceptionMechanismException;
import io.sentry.protocol.Mechanism;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryId;
import io.sentry.protocol.User;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.logging.log4j.ThreadContext;

/**
 * The Sentry SDK behind {@link ErrorTracking}: initialises it once with Lookout's options, sends a
 * failed request's event with the request's tags, transaction and breadcrumbs, and closes it.
 * Loaded only when the {@code LookoutSentry} appender starts. Internal.
 */
final class SentryTracker implements Tracker {

  static final String REQUEST_MECHANISM = "lookout.request";
  private static final String[] CONTEXT_TAGS = {"request_id", "trace_id", "span_id"};
  /** Exceptions already sent, so that a container's or Lookout's later log of one is no second event. */
  private static final int RECENT = 64;

  private final Scrubber scrubber;
  private final boolean userEnvironment;
  private final boolean userRelease;
  private final AtomicReferenceArray<WeakReference<Throwable>> recent = new AtomicReferenceArray<>(RECENT);
  private final AtomicInteger recentNext = new AtomicInteger();

  private SentryTracker(Scrubber scrubber) {
    this.scrubber = scrubber;
    this.userEnvironment = external("SENTRY_ENVIRONMENT", "sentry.environment");
    this.userRelease = external("SENTRY_RELEASE", "sentry.release");
  }

  /**
   * Initialises the SDK (DSN and other {@code sentry.*} options from {@code SENTRY_DSN}, system
   * properties or {@code sentry.properties}, as the SDK reads them); null when the SDK stays
   * disabled (an empty DSN, {@code enabled=false}). A bad DSN throws.
   */
  static SentryTracker start(ErrorSettings settings, Scrubber scrubber) {
    SentryTracker tracker = new SentryTracker(scrubber);
    Sentry.init(
        options -> {
          options.setEnableExternalConfiguration(true);
          options.setSendDefaultPii(false);
          options.setSampleRate(settings.sampleRate());
          options.setMaxQueueSize(settings.queueSize());
          // Both would be JVM-wide: they outlive the web application and see other applications.
          options.setEnableUncaughtExceptionHandler(false);
          options.setEnableShutdownHook(false);
          // The host name lookup may block the capturing thread for up to a second.
          options.setAttachServerName(false);
          options.setSendModules(false);
          // The SDK waits 30 s by default: a stuck endpoint would hold the sender (and undeploy) that long.
          options.setConnectionTimeoutMillis(5_000);
          options.setReadTimeoutMillis(5_000);
          options.setSendClientReports(true);
          for (String t : CONTEXT_TAGS) {
            options.addContextTag(t);
          }
          options.setBeforeSend((event, hint) -> tracker.beforeSend(event));
          options.setBeforeBreadcrumb((crumb, hint) -> scrubber.scrub(crumb));
          options.setOnDiscard(
              (reason, category, n) -> {
                if (category == DataCategory.Error) {
                  ErrorDropCounters.count(reason.getReason(), n);
                }
              });
        });
    return Sentry.isEnabled() ? tracker : null;
  }

  private static boolean external(String env, String property) {
    String v = System.getenv(env);
    if (v == null || v.isBlank()) {
      v = System.getProperty(property);
    }
    return v != null && !v.isBlank();
  }

  SentryEvent beforeSend(SentryEvent event) {
    String[] service = RequestLogHooks.service();
    if (!userEnvironment && service[2] != null) {
      event.setEnvironment(service[2]);
    }
    if (!userRelease && service[0] != null) {
      event.setRelease(service[1] == null ? service[0] : service[0] + "@" + service[1]);
    }
    return scrubber.scrub(event);
  }

  // ---- per request ----------------------------------------------------------------------------

  @Override
  public void completing(
      RequestErrors r, int status, String method, String endpoint, Throwable failure, String errorType) {
    r.method = method;
    r.endpoint = endpoint;
    r.status = status;
    r.failure = failure;
    List<Object> held = r.complete(); // publishes the four fields above
    boolean failed = status >= 500 || failure != null;
    if (held.isEmpty() && !failed) {
      return;
    }
    List<SentryEvent> events = new ArrayList<>(held.size() + 1);
    boolean covered = false;
    for (Object o : held) {
      SentryEvent e = (SentryEvent) o;
      events.add(e);
      Throwable t = e.getThrowable();
      covered |= failure == null || (t != null && (related(t, failure) || related(failure, t)));
    }
    if (failed && !covered) {
      events.add(requestEvent(status, method, endpoint, failure, errorType));
    }
    send(r, events);
  }

  @Override
  public void abandoned(RequestErrors r) {
    List<Object> held = r.complete();
    if (!held.isEmpty()) {
      List<SentryEvent> events = new ArrayList<>(held.size());
      held.forEach(o -> events.add((SentryEvent) o));
      send(r, events);
    }
  }

  /** An error event of a request logged after its outcome was known: sent at once, with its context. */
  void sendLate(RequestErrors r, SentryEvent event) {
    send(r, List.of(event));
  }

  /** Whether this exception (or one it wraps) was sent already, or is the request's own failure. */
  boolean isDuplicate(RequestErrors r, Throwable t) {
    if (r != null && r.isCompleted() && r.failure != null && related(t, r.failure)) {
      return true;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      for (int i = 0; i < RECENT; i++) {
        WeakReference<Throwable> ref = recent.get(i);
        if (ref != null && ref.get() == c) {
          return true;
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  void remember(Throwable t) {
    if (t != null) {
      recent.set(Math.floorMod(recentNext.getAndIncrement(), RECENT), new WeakReference<>(t));
    }
  }

  /** Whether {@code outer} is {@code inner} or wraps it (cause chain, bounded). */
  private static boolean related(Throwable outer, Throwable inner) {
    Throwable c = outer;
    for (int depth = 0; c != null && depth < 16; depth++, c = c.getCause()) {
      if (c == inner) {
        return true;
      }
    }
    return false;
  }

  private static SentryEvent requestEvent(int status, String method, String endpoint, Throwable failure, String errorType) {
    SentryEvent event;
    if (failure != null) {
      failure = unwrapped(failure);
      Mechanism m = new Mechanism();
      m.setType(REQUEST_MECHANISM);
      m.setHandled(false);
      event = new SentryEvent(new ExceptionMechanismException(m, failure, Thread.currentThread()));
    } else {
      event = new SentryEvent();
      Message msg = new Message();
      String text = method + " " + endpoint + " answered " + status + (errorType == null ? "" : " (" + errorType + ")");
      msg.setMessage(text);
      msg.setFormatted(text);
      event.setMessage(msg);
    }
    event.setLevel(SentryLevel.ERROR);
    event.setLogger("lookout");
    return event;
  }

  /** The application's exception inside the container's wrapper (a {@code ServletException} with a cause). */
  static Throwable unwrapped(Throwable t) {
    Throwable c = t;
    for (int depth = 0; depth < 4 && c.getCause() != null && c.getCause() != c; depth++) {
      String n = c.getClass().getName();
      if (!n.equals("jakarta.servlet.ServletException") && !n.equals("javax.servlet.ServletException")) {
        break;
      }
      c = c.getCause();
    }
    return c;
  }

  private void send(RequestErrors r, List<SentryEvent> events) {
    IScopes scopes = Sentry.forkedRootScopes("lookout.request");
    scopes.setTag("request_id", r.requestId);
    String traceId = ThreadContext.get("trace_id");
    String spanId = ThreadContext.get("span_id");
    PropagationContext trace;
    if (traceId != null && traceId.length() == 32 && spanId != null && spanId.length() == 16) {
      scopes.setTag("trace_id", traceId);
      scopes.setTag("span_id", spanId);
      // Sentry's own trace context then names the same trace as the logs and spans.
      trace = new PropagationContext(new SentryId(traceId), new SpanId(spanId), null, null, null);
    } else {
      // A forked scope copies the root scope's trace (and shares its baggage): without a context of
      // its own, every untraced request's event would claim one and the same trace.
      trace = new PropagationContext();
    }
    scopes.configureScope(s -> s.setPropagationContext(trace));
    if (r.endpoint != null) {
      scopes.setTag("endpoint", r.endpoint);
      scopes.setTag("http.method", r.method);
      scopes.setTag("status_code", Integer.toString(r.status));
      scopes.setTransaction(r.method + " " + r.endpoint);
    }
    String user = r.userId();
    if (user != null) {
      User u = new User();
      u.setId(user);
      scopes.setUser(u);
    }
    for (RequestErrors.Crumb c : r.crumbs()) {
      Breadcrumb b = new Breadcrumb(c.timeMillis());
      b.setLevel(LookoutSentryAppender.sentryLevel(c.level()));
      b.setCategory(c.logger());
      b.setMessage(c.message());
      scopes.addBreadcrumb(b);
    }
    for (SentryEvent e : events) {
      remember(e.getThrowable());
      scopes.captureEvent(e, new Hint());
    }
  }

  @Override
  public void close() {
    Sentry.close();
  }
}
