package dev.lookout.filters.internal;

import dev.lookout.filters.LookoutAttributes;
import dev.lookout.filters.internal.access.AccessLog;
import dev.lookout.filters.internal.access.QueryMasker;
import dev.lookout.filters.internal.access.TrustedProxies;
import dev.lookout.filters.internal.config.LookoutSettings;
import dev.lookout.filters.internal.metrics.HttpMethods;
import dev.lookout.filters.internal.metrics.HttpMetrics;
import dev.lookout.filters.internal.pipeline.EndpointResolver;
import dev.lookout.filters.internal.pipeline.RequestIdPolicy;
import dev.lookout.filters.internal.pipeline.RequestOutcome;
import dev.lookout.filters.internal.pipeline.RequestSink;
import dev.lookout.filters.internal.tracing.ServerSpans;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens to every request, in order: at the start the request ID policy, the span, the log
 * module's per-request state; at the end one {@link RequestOutcome} handed to a fixed list of
 * sinks — log seam "completing", metrics, span, access log, log seam "ended" — each isolated by
 * {@link FailOpen}. Built once per web application from its settings. Internal.
 */
final class RequestPipeline {

  private final boolean requestIds;
  private final String requestIdHeader;
  private final String correlationIdHeader;
  private final RequestIdPolicy idPolicy;
  private final ServerSpans spans;
  private final EndpointResolver endpoints;
  private final boolean pathNormalizer;
  private final HttpMetrics metrics; // null when metrics are off
  private final AccessLog accessLog; // null when the access log is off
  private final boolean logLookoutEndpoints;
  private final QueryMasker masker;
  private final TrustedProxies proxies;
  private final String forceLogHeader; // null when off
  private final byte[] forceLogToken;
  private final boolean traceDecidesLogs;
  final LogHooks logHooks;
  private final RequestSink[] sinks;

  RequestPipeline(
      LookoutSettings settings,
      RequestIdPolicy idPolicy,
      ServerSpans spans,
      boolean spansExported,
      HttpMetrics metrics,
      LogHooks logHooks) {
    this.requestIds = settings.requestIdsEnabled;
    this.requestIdHeader = settings.requestIdHeader;
    this.correlationIdHeader = settings.correlationIdHeader;
    this.idPolicy = idPolicy;
    this.spans = spans;
    this.endpoints = new EndpointResolver(settings.pathNormalizer, settings.metricsPath, settings.healthPath);
    this.pathNormalizer = settings.pathNormalizer;
    this.metrics = metrics;
    this.masker = new QueryMasker(settings.maskedParameters);
    this.proxies = new TrustedProxies(settings.trustedProxies, "lookout.access-log.trusted-proxies");
    this.accessLog = settings.accessLogEnabled ? new AccessLog(masker) : null;
    this.logLookoutEndpoints = settings.accessLogIncludeLookoutEndpoints;
    this.forceLogHeader = settings.forceLogHeader;
    this.forceLogToken = settings.forceLogToken();
    this.traceDecidesLogs = spansExported;
    this.logHooks = logHooks;
    List<RequestSink> list = new ArrayList<>();
    list.add(logHooks.completing); // first: the request's buffered lines come before its access event
    if (metrics != null) {
      list.add(metrics);
    }
    if (spans.enabled()) {
      list.add(spans);
    }
    if (accessLog != null) {
      list.add(accessLog);
    }
    list.add(logHooks.ended);
    this.sinks = list.toArray(new RequestSink[0]);
  }

  /**
   * Starts observing a request: span, IDs and response headers, attributes, the log module's
   * state, and last the in-progress gauge. Once this returns, the observation must be finished.
   */
  RequestObservation begin(HttpServletRequest request, HttpServletResponse response) {
    long startNanos = System.nanoTime();
    String method = request.getMethod();
    int methodIndex = HttpMethods.indexOf(method);
    boolean traced = spans.enabled();
    // Read once, and now only for a span that records it; else on first use (Jetty builds the
    // remote address string per call, and most access events are sampled out before they need it).
    String clientAddress = spans.describesSpans() ? clientAddress(request) : null;
    ServerSpans.RequestSpan span =
        traced ? spans.start(request, method, HttpMethods.label(methodIndex), masker.mask(request.getQueryString()), clientAddress) : null;
    try {
      String requestId = null;
      String correlationId = null;
      if (requestIds) {
        requestId = idPolicy.requestId(request.getHeader(requestIdHeader), span != null ? span.traceId() : null);
        String incoming = request.getHeader(correlationIdHeader);
        correlationId = idPolicy.correlationId(incoming, requestId);
        if (incoming != null && correlationId.equals(incoming)) {
          response.setHeader(correlationIdHeader, correlationId);
        }
        response.setHeader(requestIdHeader, requestId);
        request.setAttribute(LookoutAttributes.REQUEST_ID, requestId);
        request.setAttribute(LookoutAttributes.CORRELATION_ID, correlationId);
      }
      String pattern = mappingPattern(request);
      boolean accessLogged = accessLog != null && (logLookoutEndpoints || !endpoints.isLookoutEndpoint(pattern));
      boolean forceLogging = forceLogging(request);
      RequestObservation o =
          new RequestObservation(
              this, request, response, startNanos, methodIndex, requestId, correlationId, pattern, accessLogged,
              forceLogging, clientAddress, span);
      boolean keepAllLogs = forceLogging || (traceDecidesLogs && span != null && span.sampled());
      o.logState(logHooks.requestStarted(requestId, span != null ? span.traceId() : requestId, keepAllLogs));
      request.setAttribute(LookoutAttributes.OBSERVATION, o);
      if (metrics != null) {
        metrics.requestStarted(methodIndex);
      }
      return o;
    } catch (RuntimeException | Error e) {
      if (span != null) {
        span.abandon(); // no observation will finish it
      }
      throw e;
    }
  }

  /** The client address for the span and the access log, or null when neither needs it. */
  String clientAddress(HttpServletRequest request) {
    return spans.enabled() || accessLog != null
        ? proxies.clientAddress(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"))
        : null;
  }

  /** Writes the DEBUG {@code request_started} event when that is on. */
  void started(RequestObservation o) {
    if (o.accessLogged() && accessLog.isStartedEnabled()) {
      accessLog.started(o.request().getMethod(), o.request().getRequestURI(), o.request().getQueryString());
    }
  }

  /** The outcome of a request that completed now, computed once; never throws. */
  RequestOutcome outcome(RequestObservation o, Throwable failure) {
    long durationNanos = System.nanoTime() - o.startNanos();
    HttpServletRequest request = o.request();
    int status;
    String endpoint;
    String errorType = null;
    try {
      HttpServletResponse response = o.response();
      status = failure != null && !response.isCommitted() ? 500 : response.getStatus();
      if (failure != null && status < 500) {
        status = 500; // the container turns an escaped exception into a 500 whatever was set
      }
      String path = null;
      if (pathNormalizer) {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        path = uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : uri;
      }
      endpoint = endpoints.resolve(request.getAttribute(LookoutAttributes.ROUTE), status, o.mappingPattern(), path);
      if (failure != null) {
        errorType = failure.getClass().getName();
      } else if (status >= 500) {
        Object mapped = request.getAttribute(LookoutAttributes.ERROR_TYPE);
        errorType = mapped instanceof String s ? s : null;
      }
    } catch (Throwable t) {
      FailOpen.report("resolving the status and endpoint", t);
      status = 500;
      endpoint = EndpointResolver.UNKNOWN;
    }
    var db = o.dbIfUsed();
    return new RequestOutcome(
        o.methodIndex(),
        request.getMethod(),
        status,
        endpoint,
        EndpointResolver.routeOf(endpoint),
        durationNanos,
        failure,
        errorType,
        db == null ? 0 : db.statements(),
        db == null ? 0 : db.nanos());
  }

  /** Hands the outcome to every sink in order, each isolated. */
  void complete(RequestObservation o, RequestOutcome outcome) {
    for (RequestSink sink : sinks) {
      try {
        sink.requestCompleted(o, outcome);
      } catch (Throwable t) {
        FailOpen.report(sink.name(), t);
      }
    }
  }

  private boolean forceLogging(HttpServletRequest request) {
    if (forceLogHeader == null) {
      return false;
    }
    String value = request.getHeader(forceLogHeader);
    return value != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), forceLogToken);
  }

  static String mappingPattern(HttpServletRequest request) {
    HttpServletMapping mapping = request.getHttpServletMapping();
    if (mapping == null) {
      return null;
    }
    MappingMatch match = mapping.getMappingMatch();
    if (match == null) {
      return null;
    }
    switch (match) {
      case CONTEXT_ROOT:
      case DEFAULT:
        return "/";
      case EXACT:
      case PATH:
      case EXTENSION:
        String p = mapping.getPattern();
        return p == null || p.isEmpty() ? null : p;
      default:
        return null;
    }
  }
}
