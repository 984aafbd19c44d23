package dev.lookout.filters.internal.exposure;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

/**
 * The servlet side of {@link EndpointExposure}: reads a request into a {@link
 * EndpointExposure.Caller}, and answers methods and headers that Lookout's endpoints do not serve
 * with a plain 4xx instead of whatever the servlet base class or the exporter would do. Internal.
 */
public final class EndpointGuard {

  /**
   * Longest {@code Accept} or {@code Accept-Encoding} value served; Prometheus sends about 200
   * characters, and parsing an unbounded one is work a caller could make the endpoint do.
   */
  static final int MAX_NEGOTIATION_HEADER_LENGTH = 1024;

  private EndpointGuard() {}

  /** The values the rules need, read once. */
  public static EndpointExposure.Caller caller(HttpServletRequest request) {
    return new EndpointExposure.Caller(
        request.getLocalPort(),
        request.getRemoteAddr(),
        forwardedFor(request),
        request.getHeader("Forwarded") != null
            || request.getHeader("X-Forwarded-Host") != null
            || request.getHeader("X-Real-IP") != null,
        request.getHeader("Authorization"));
  }

  /**
   * Every {@code X-Forwarded-For} line joined in order, as one list: a proxy that adds a line of its
   * own after the client's must not have the client's line read alone (it would name any address).
   */
  static String forwardedFor(HttpServletRequest request) {
    Enumeration<String> values = request.getHeaders("X-Forwarded-For");
    if (values == null || !values.hasMoreElements()) {
      return null;
    }
    String first = values.nextElement();
    if (!values.hasMoreElements()) {
      return first;
    }
    StringBuilder joined = new StringBuilder(first);
    // bounded by the container's limit on header size; the right-most lines, the proxy's, decide
    while (values.hasMoreElements()) {
      joined.append(',').append(values.nextElement());
    }
    return joined.toString();
  }

  /**
   * Answers a request that is not a plain GET or HEAD with acceptable negotiation headers, and
   * returns true when it did: 405 with {@code Allow} for any other method (TRACE would echo the
   * request's headers, token included; an unknown method would be a 501), 431 for an oversized
   * {@code Accept} or {@code Accept-Encoding}.
   */
  public static boolean rejected(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String method = request.getMethod();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      response.setHeader("Allow", "GET, HEAD");
      plain(response, 405, "Method Not Allowed");
      return true;
    }
    if (tooLong(request.getHeader("Accept")) || tooLong(request.getHeader("Accept-Encoding"))) {
      plain(response, 431, "Request Header Fields Too Large");
      return true;
    }
    return false;
  }

  private static boolean tooLong(String value) {
    return value != null && value.length() > MAX_NEGOTIATION_HEADER_LENGTH;
  }

  /** A short plain-text answer with no caching. */
  public static void plain(HttpServletResponse response, int status, String message) throws IOException {
    response.setStatus(status);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/plain");
    response.setCharacterEncoding("UTF-8");
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
