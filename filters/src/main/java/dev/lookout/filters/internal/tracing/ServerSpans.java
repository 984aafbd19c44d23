package dev.lookout.filters.internal.tracing;

import dev.lookout.filters.internal.FailOpen;
import dev.lookout.filters.internal.RequestObservation;
import dev.lookout.filters.internal.metrics.HttpMethods;
import dev.lookout.filters.internal.pipeline.RequestOutcome;
import dev.lookout.filters.internal.pipeline.RequestSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.IdGenerator;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;

/**
 * The SERVER span of each request: started from the incoming W3C context with the stable HTTP
 * semantic-convention attributes, finished from the request's outcome (route, status, error,
 * database time). Under the OpenTelemetry agent the agent's span is used and left to the agent.
 * Without any OpenTelemetry setting nothing reads spans: a request's span is then only its IDs.
 * Internal.
 */
public final class ServerSpans implements RequestSink {

  static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL = AttributeKey.stringKey("http.request.method_original");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  public static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
  static final AttributeKey<String> NETWORK_PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  /** Statements the request ran through Lookout's JDBC wrapper, and their time. */
  public static final AttributeKey<Long> DB_QUERIES = AttributeKey.longKey("lookout.db.queries");
  public static final AttributeKey<Double> DB_TIME_MS = AttributeKey.doubleKey("lookout.db.time_ms");

  private static final TextMapGetter<HttpServletRequest> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest carrier) {
          return Collections.list(carrier.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest carrier, String key) {
          return carrier == null ? null : carrier.getHeader(key);
        }
      };

  /** The SDK's own default generator: random, from {@code ThreadLocalRandom}. */
  private static final IdGenerator IDS = IdGenerator.random();

  private final TracingSdk.Mode mode;
  private final Tracer tracer; // SDK mode only
  private final TextMapPropagator propagator; // SDK mode only
  private final boolean described; // false: nothing reads the spans, they carry only their IDs

  public ServerSpans(TracingSdk sdk) {
    this.mode = sdk.mode();
    this.described = sdk.spansRead();
    this.tracer = sdk.tracer("dev.lookout.filters");
    this.propagator = sdk.mode() == TracingSdk.Mode.SDK ? sdk.openTelemetry().getPropagators().getTextMapPropagator() : null;
  }

  /** Whether Lookout's spans carry attributes (the client address among them). */
  public boolean describesSpans() {
    return mode == TracingSdk.Mode.SDK && described;
  }

  /** Whether requests get a span at all. */
  public boolean enabled() {
    return mode != TracingSdk.Mode.OFF;
  }

  /**
   * The span of a starting request: a new SERVER span (SDK), or the agent's current one; null when
   * tracing is off or something failed (fail-open).
   */
  public RequestSpan start(
      HttpServletRequest request, String method, String methodLabel, String maskedQuery, String clientAddress) {
    try {
      if (mode == TracingSdk.Mode.AGENT) {
        Span current = Span.current();
        return current.getSpanContext().isValid() ? new RequestSpan(current, Context.current(), false, false) : null;
      }
      if (mode == TracingSdk.Mode.OFF) {
        return null;
      }
      Context parent = propagator.extract(Context.root(), request, HEADERS);
      boolean known = !"_OTHER".equals(methodLabel);
      if (!described) {
        return idsOnly(parent);
      }
      var builder =
          tracer
              .spanBuilder(known ? method : "HTTP")
              .setSpanKind(SpanKind.SERVER)
              .setParent(parent)
              .setAttribute(HTTP_REQUEST_METHOD, methodLabel)
              .setAttribute(URL_PATH, request.getRequestURI())
              .setAttribute(URL_SCHEME, request.getScheme())
              .setAttribute(SERVER_ADDRESS, request.getServerName())
              .setAttribute(SERVER_PORT, (long) request.getServerPort());
      if (!known) {
        builder.setAttribute(HTTP_REQUEST_METHOD_ORIGINAL, method);
      }
      if (maskedQuery != null) {
        builder.setAttribute(URL_QUERY, maskedQuery);
      }
      if (clientAddress != null) {
        builder.setAttribute(CLIENT_ADDRESS, clientAddress);
      }
      String ua = request.getHeader("User-Agent");
      if (ua != null) {
        builder.setAttribute(USER_AGENT, ua.length() > 512 ? ua.substring(0, 512) : ua);
      }
      String protocol = request.getProtocol();
      if (protocol != null && protocol.startsWith("HTTP/")) {
        builder.setAttribute(NETWORK_PROTOCOL_VERSION, protocol.substring(5));
      }
      Span span = builder.startSpan();
      if (!span.getSpanContext().isValid()) {
        return null;
      }
      return new RequestSpan(span, parent.with(span), true, true);
    } catch (RuntimeException | LinkageError e) {
      FailOpen.report("starting a span", e);
      return null;
    }
  }

  /**
   * The span of a request when nothing reads spans: the SDK's ID generator and the decision of its
   * sampler there ({@code parentbased_always_on}: a root is sampled, a child follows its parent),
   * without a recorded SDK span that no processor would ever look at.
   */
  private RequestSpan idsOnly(Context parent) {
    SpanContext parentContext = Span.fromContext(parent).getSpanContext();
    boolean child = parentContext.isValid();
    SpanContext context =
        SpanContext.create(
            child ? parentContext.getTraceId() : IDS.generateTraceId(),
            IDS.generateSpanId(),
            !child || parentContext.isSampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
            child ? parentContext.getTraceState() : TraceState.getDefault());
    Span span = Span.wrap(context);
    return new RequestSpan(span, parent.with(span), false, false);
  }

  @Override
  public String name() {
    return "ending the request's span";
  }

  @Override
  public void requestCompleted(RequestObservation observation, RequestOutcome outcome) {
    RequestSpan span = observation.span();
    if (span != null) {
      span.finish(outcome);
    }
  }

  /** The span of one request and the context to make current around the application. */
  public static final class RequestSpan {
    final Span span;
    final Context context;
    final boolean described; // Lookout names it and sets its attributes
    final boolean owned; // Lookout ends it

    RequestSpan(Span span, Context context, boolean described, boolean owned) {
      this.span = span;
      this.context = context;
      this.described = described;
      this.owned = owned;
    }

    public Context context() {
      return context;
    }

    public String traceId() {
      return span.getSpanContext().getTraceId();
    }

    public String spanId() {
      return span.getSpanContext().getSpanId();
    }

    public boolean sampled() {
      return span.getSpanContext().isSampled();
    }

    /** Ends an owned span that no observation will finish (the start failed half-way). */
    public void abandon() {
      if (owned) {
        endQuietly();
      }
    }

    private void endQuietly() {
      try {
        span.end();
      } catch (RuntimeException | LinkageError e) {
        FailOpen.report("ending a span", e);
      }
    }

    /**
     * Ends the request's own span: name and route from the same template, status, error, database
     * time. The agent's span is the agent's: it names it and sets {@code http.route} from its own
     * route (at its end, after ours), so renaming it would make the two disagree.
     */
    void finish(RequestOutcome o) {
      if (!owned) {
        return;
      }
      if (!described) {
        endQuietly();
        return;
      }
      try {
        String route = o.route();
        if (route != null) {
          span.setAttribute(HTTP_ROUTE, route);
          String methodLabel = HttpMethods.label(o.methodIndex());
          span.updateName(("_OTHER".equals(methodLabel) ? "HTTP" : methodLabel) + " " + route);
        }
        span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) o.status());
        if (o.dbStatements() > 0) {
          span.setAttribute(DB_QUERIES, (long) o.dbStatements());
          span.setAttribute(DB_TIME_MS, o.dbNanos() / 1e6);
        }
        if (o.failure() != null) {
          span.recordException(o.failure());
          span.setAttribute(ERROR_TYPE, o.failure().getClass().getName());
          span.setStatus(StatusCode.ERROR);
        } else if (o.status() >= 500) {
          span.setAttribute(ERROR_TYPE, o.errorType() != null ? o.errorType() : Integer.toString(o.status()));
          span.setStatus(StatusCode.ERROR);
        }
        span.end();
      } catch (RuntimeException | LinkageError e) {
        FailOpen.report("ending a span", e);
      }
    }
  }
}
