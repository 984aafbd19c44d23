package dev.lookout.filters.internal.exposure;

import dev.lookout.filters.internal.access.AddressRanges;
import dev.lookout.filters.internal.access.TrustedProxies;
import dev.lookout.filters.internal.config.LookoutConfig;
import dev.lookout.filters.internal.config.Settings;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Who may see the metrics endpoint and the health details, and how many scrapes run at once: the
 * rules of {@code lookout.endpoints.*} and {@code lookout.health.details}, decided on plain values
 * of a request. Internal; {@code docs/security.md} explains the rules.
 */
public final class EndpointExposure {

  /** Shortest {@code lookout.endpoints.token} accepted: a guessable token is no protection. */
  static final int MIN_TOKEN_LENGTH = 16;

  /** Longest {@code Authorization} value looked at; a longer one is simply wrong. */
  private static final int MAX_AUTHORIZATION_LENGTH = 1024;

  /** The two endpoints the rules guard, as the {@code endpoint} label. */
  public enum Endpoint {
    METRICS("metrics"),
    HEALTH("health");

    final String label;

    Endpoint(String label) {
      this.label = label;
    }
  }

  /** Why a request was denied, as the {@code reason} label of {@code lookout_endpoint_denied_total}. */
  public enum Reason {
    /** Received on another port than {@code lookout.endpoints.port}. */
    PORT("port"),
    /** Came through a proxy that is not trusted, or from outside behind a trusted one. */
    FORWARDED("forwarded"),
    /** Not from an address of {@code lookout.endpoints.allow}. */
    ADDRESS("address"),
    /** Without the right bearer token. */
    TOKEN("token"),
    /** More scrapes at once than {@code lookout.metrics.scrape-concurrency}. */
    BUSY("busy");

    final String label;

    Reason(String label) {
      this.label = label;
    }
  }

  /** The values of {@code lookout.health.details}. */
  public enum HealthDetails {
    NEVER,
    TRUSTED,
    ALWAYS
  }

  private final int port; // -1: any
  private final byte[] tokenDigest; // null: no token
  private final AddressRanges allow;
  private final TrustedProxies proxies;
  private final HealthDetails healthDetails;
  private final Semaphore scrapes;
  private final long scrapeWaitNanos;
  private final PrometheusRegistry registry; // null when metrics are off
  private final Counter denied;
  private final CounterDataPoint[][] deniedPoints; // [endpoint][reason], resolved once

  private EndpointExposure(
      int port,
      String token,
      AddressRanges allow,
      TrustedProxies proxies,
      HealthDetails healthDetails,
      int scrapeConcurrency,
      Duration scrapeWait,
      PrometheusRegistry registry) {
    this.port = port;
    this.tokenDigest = token.isEmpty() ? null : sha256(token);
    this.allow = allow;
    this.proxies = proxies;
    this.healthDetails = healthDetails;
    this.scrapes = new Semaphore(scrapeConcurrency);
    this.scrapeWaitNanos = scrapeWait.toNanos();
    this.registry = registry;
    if (registry == null) {
      this.denied = null;
      this.deniedPoints = null;
    } else {
      this.denied =
          Counter.builder()
              .name("lookout_endpoint_denied_total")
              .help("Requests to the metrics endpoint or the health details that Lookout did not serve, by reason")
              .labelNames("endpoint", "reason")
              .build();
      this.deniedPoints = new CounterDataPoint[Endpoint.values().length][Reason.values().length];
      for (Endpoint e : Endpoint.values()) {
        for (Reason r : Reason.values()) {
          if (e == Endpoint.HEALTH && r == Reason.BUSY) {
            continue;
          }
          deniedPoints[e.ordinal()][r.ordinal()] = denied.labelValues(e.label, r.label);
        }
      }
      registry.register(denied);
    }
  }

  /**
   * Reads and checks the settings, then registers {@code lookout_endpoint_denied_total} in the
   * registry (null when metrics are off: nothing is counted). Fails with a message naming the
   * setting before registering anything.
   */
  public static EndpointExposure from(LookoutConfig config, PrometheusRegistry registry) {
    String portValue = config.get(Settings.ENDPOINTS_PORT);
    int port = portValue.isEmpty() ? -1 : config.getInt(Settings.ENDPOINTS_PORT, 1, 65535);
    String token = config.get(Settings.ENDPOINTS_TOKEN);
    if (!token.isEmpty() && !isUsableToken(token)) {
      // never the value itself: it would end up in the deployment's log
      throw LookoutConfig.invalid(
          Settings.ENDPOINTS_TOKEN,
          "(hidden, " + token.length() + " characters)",
          "a secret of at least " + MIN_TOKEN_LENGTH + " visible ASCII characters without spaces");
    }
    AddressRanges allow =
        new AddressRanges(config.getList(Settings.ENDPOINTS_ALLOW), Settings.ENDPOINTS_ALLOW.name());
    TrustedProxies proxies =
        new TrustedProxies(
            config.getList(Settings.ACCESS_LOG_TRUSTED_PROXIES), Settings.ACCESS_LOG_TRUSTED_PROXIES.name());
    String details = config.get(Settings.HEALTH_DETAILS);
    HealthDetails healthDetails;
    switch (details.toLowerCase(Locale.ROOT)) {
      case "never":
        healthDetails = HealthDetails.NEVER;
        break;
      case "trusted":
        healthDetails = HealthDetails.TRUSTED;
        break;
      case "always":
        healthDetails = HealthDetails.ALWAYS;
        break;
      default:
        throw LookoutConfig.invalid(Settings.HEALTH_DETAILS, details, "never, trusted or always");
    }
    int concurrency = config.getInt(Settings.METRICS_SCRAPE_CONCURRENCY, 1, 64);
    Duration wait = config.getDuration(Settings.METRICS_SCRAPE_WAIT);
    return new EndpointExposure(port, token, allow, proxies, healthDetails, concurrency, wait, registry);
  }

  private static boolean isUsableToken(String token) {
    if (token.length() < MIN_TOKEN_LENGTH) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c > '~') {
        return false;
      }
    }
    return true;
  }

  /** Unregisters the counter (on undeploy). */
  public void close() {
    if (registry != null) {
      registry.unregister(denied);
    }
  }

  // ---- per request ------------------------------------------------------------------------

  /**
   * Why this caller may not see the metrics endpoint or the health details, or null when it may.
   * The rules, in order: the port; the address (the allow-list, or — with neither an allow-list
   * nor a token — the default that a forwarded request comes from outside); the token.
   */
  public Reason check(Caller caller) {
    if (port >= 0 && caller.localPort() != port) {
      return Reason.PORT;
    }
    String forwardedFor = caller.forwardedFor();
    String origin; // the address the rules judge; null: unknown, behind a proxy we do not trust
    boolean viaTrustedProxy = false;
    if (forwardedFor == null && !caller.otherForwarding()) {
      origin = caller.remoteAddr();
    } else if (forwardedFor != null && proxies.isTrusted(caller.remoteAddr())) {
      origin = proxies.clientAddress(caller.remoteAddr(), forwardedFor);
      viaTrustedProxy = true;
    } else {
      origin = null;
    }
    if (!allow.isEmpty()) {
      if (origin == null) {
        return Reason.FORWARDED;
      }
      if (!allow.contains(origin)) {
        return Reason.ADDRESS;
      }
    } else if (tokenDigest == null) {
      // The default: a request relayed by a proxy is from outside, unless every hop it names is
      // one of the trusted proxies (an internal call through the application's own proxy).
      if (origin == null || (viaTrustedProxy && !proxies.isTrusted(origin))) {
        return Reason.FORWARDED;
      }
    }
    if (tokenDigest != null && !tokenMatches(caller.authorization())) {
      return Reason.TOKEN;
    }
    return null;
  }

  /** Whether the health answer to this caller carries the checks; counts a denial. */
  public boolean healthDetails(Caller caller) {
    switch (healthDetails) {
      case NEVER:
        return false;
      case ALWAYS:
        return true;
      default:
        Reason reason = check(caller);
        if (reason != null) {
          countDenied(Endpoint.HEALTH, reason);
          return false;
        }
        return true;
    }
  }

  /** Counts one request that was not served, or answered status only. */
  public void countDenied(Endpoint endpoint, Reason reason) {
    if (deniedPoints != null) {
      CounterDataPoint point = deniedPoints[endpoint.ordinal()][reason.ordinal()];
      if (point != null) {
        point.inc();
      }
    }
  }

  /**
   * Takes a scrape slot, waiting at most {@code lookout.metrics.scrape-wait}; false when none came
   * free. A slot taken must be given back with {@link #endScrape()}. Only scrapes use the slots: a
   * request thread of the application never waits here.
   */
  public boolean beginScrape() {
    if (scrapes.tryAcquire()) {
      return true;
    }
    if (scrapeWaitNanos == 0) {
      return false;
    }
    try {
      return scrapes.tryAcquire(scrapeWaitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public void endScrape() {
    scrapes.release();
  }

  /** Scrape slots free now (for tests). */
  int freeScrapeSlots() {
    return scrapes.availablePermits();
  }

  /**
   * Whether an {@code Authorization} value carries the token. Both sides are compared as SHA-256
   * digests with {@link MessageDigest#isEqual}: equal lengths whatever was sent, so the time taken
   * tells nothing about the token, not even its length.
   */
  boolean tokenMatches(String authorization) {
    if (authorization == null || authorization.length() > MAX_AUTHORIZATION_LENGTH || authorization.length() < 7) {
      return false;
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    int start = 7;
    while (start < authorization.length() && authorization.charAt(start) == ' ') {
      start++;
    }
    int end = authorization.length();
    while (end > start && authorization.charAt(end - 1) == ' ') {
      end--;
    }
    return MessageDigest.isEqual(sha256(authorization.substring(start, end)), tokenDigest);
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /**
   * What the rules look at in a request.
   *
   * @param localPort the port the request was received on
   * @param remoteAddr the socket's remote address as the container reports it
   * @param forwardedFor the {@code X-Forwarded-For} header, or null
   * @param otherForwarding whether a {@code Forwarded}, {@code X-Forwarded-Host} or {@code
   *     X-Real-IP} header is present
   * @param authorization the {@code Authorization} header, or null
   */
  public record Caller(
      int localPort, String remoteAddr, String forwardedFor, boolean otherForwarding, String authorization) {}
}
