package dev.lookout.filters.internal.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of a web application, read once at deployment, validated, and immutable from then
 * on: the one object the runtime and its components are built from. A bad value throws a {@link
 * ConfigurationException} naming the setting before anything is registered. Internal.
 */
public final class LookoutSettings {

  private final LookoutConfig source;

  public final boolean enabled;
  public final String serviceName; // empty: derived from the deployment
  public final String serviceVersion; // empty: derived from the deployment
  public final String serviceEnvironment;

  public final boolean requestIdsEnabled;
  public final String requestIdHeader;
  public final String correlationIdHeader;

  public final boolean metricsEnabled;
  public final String metricsPath; // empty: not served
  public final boolean jvmMetrics;
  public final boolean pathNormalizer;
  public final int endpointLimit;
  private final double[] durationBuckets;

  public final boolean healthEnabled;
  public final String healthPath; // empty: not served
  public final Duration healthTimeout;
  public final Duration healthCacheTtl;
  public final int healthThreads;
  public final String healthDataSource; // empty: none

  public final boolean tracingEnabled;

  public final boolean accessLogEnabled;
  public final boolean accessLogIncludeLookoutEndpoints;
  public final List<String> trustedProxies;
  public final List<String> maskedParameters;

  public final String forceLogHeader; // null: off
  private final byte[] forceLogToken;

  public final boolean jaxrsEnabled;

  /** Every {@code lookout.log.*} setting with its resolved value, for {@code lookout-log4j2}. */
  public final Map<String, String> logSettings;

  private LookoutSettings(LookoutConfig c) {
    this.source = c;
    this.enabled = c.getBoolean(Settings.ENABLED);
    this.serviceName = c.get(Settings.SERVICE_NAME);
    this.serviceVersion = c.get(Settings.SERVICE_VERSION);
    this.serviceEnvironment = c.get(Settings.SERVICE_ENVIRONMENT);

    this.requestIdsEnabled = c.getBoolean(Settings.REQUEST_ID_ENABLED);
    this.requestIdHeader = headerName(c, Settings.REQUEST_ID_HEADER);
    this.correlationIdHeader = headerName(c, Settings.CORRELATION_ID_HEADER);

    this.metricsEnabled = c.getBoolean(Settings.METRICS_ENABLED);
    this.metricsPath = metricsEnabled ? c.getPath(Settings.METRICS_PATH) : "";
    this.jvmMetrics = metricsEnabled && c.getBoolean(Settings.METRICS_JVM);
    this.pathNormalizer = c.getBoolean(Settings.METRICS_PATH_NORMALIZER);
    this.endpointLimit = c.getInt(Settings.METRICS_ENDPOINT_LIMIT, 1, 10_000);
    this.durationBuckets = buckets(c);

    this.healthEnabled = c.getBoolean(Settings.HEALTH_ENABLED);
    this.healthPath = healthEnabled ? c.getPath(Settings.HEALTH_PATH) : "";
    this.healthTimeout = c.getDuration(Settings.HEALTH_TIMEOUT);
    if (healthTimeout.isZero()) {
      throw LookoutConfig.invalid(Settings.HEALTH_TIMEOUT, "0", "a duration greater than zero");
    }
    this.healthCacheTtl = c.getDuration(Settings.HEALTH_CACHE_TTL);
    this.healthThreads = c.getInt(Settings.HEALTH_THREADS, 1, 64);
    this.healthDataSource = c.get(Settings.HEALTH_DATASOURCE);

    this.tracingEnabled = c.getBoolean(Settings.TRACING_ENABLED);

    this.accessLogEnabled = c.getBoolean(Settings.ACCESS_LOG_ENABLED);
    this.accessLogIncludeLookoutEndpoints = c.getBoolean(Settings.ACCESS_LOG_INCLUDE_LOOKOUT_ENDPOINTS);
    this.trustedProxies = List.copyOf(c.getList(Settings.ACCESS_LOG_TRUSTED_PROXIES));
    this.maskedParameters = List.copyOf(c.getList(Settings.ACCESS_LOG_MASKED_PARAMETERS));

    String forceHeader = c.get(Settings.LOG_FORCE_HEADER);
    String forceToken = c.get(Settings.LOG_FORCE_TOKEN);
    if (!forceHeader.isEmpty()) {
      headerName(c, Settings.LOG_FORCE_HEADER);
      if (forceToken.length() < 16) {
        throw LookoutConfig.invalid(
            Settings.LOG_FORCE_TOKEN,
            forceToken.isEmpty() ? "" : "(hidden)",
            "a secret of at least 16 characters when lookout.log.force-header is set");
      }
    }
    this.forceLogHeader = forceHeader.isEmpty() ? null : forceHeader;
    this.forceLogToken = forceToken.getBytes(StandardCharsets.UTF_8);

    this.jaxrsEnabled = c.getBoolean(Settings.JAXRS_ENABLED);

    oneOf(c, Settings.LOG_FORMAT, LOG_FORMATS);
    oneOf(c, Settings.LOG_LEVEL, LOG_LEVELS);
    Map<String, String> log = new LinkedHashMap<>();
    for (Setting s : Setting.all().values()) {
      // lookout-log4j2's configuration reads these (errors.*: its Sentry appender, which masks query parameters too)
      if (s.name().startsWith("lookout.log.")
          || s.name().startsWith("lookout.errors.")
          || s.name().equals(Settings.ACCESS_LOG_MASKED_PARAMETERS.name())) {
        log.put(s.name(), c.get(s));
      }
    }
    this.logSettings = Collections.unmodifiableMap(log);
  }

  /** The formats of lookout-log4j2's ready configuration. */
  static final List<String> LOG_FORMATS = List.of("json", "ecs", "logstash", "gcp", "console");

  private static final List<String> LOG_LEVELS = List.of("OFF", "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL");

  private static void oneOf(LookoutConfig c, Setting setting, List<String> allowed) {
    String v = c.get(setting);
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) {
        return;
      }
    }
    throw LookoutConfig.invalid(setting, v, "one of " + String.join(", ", allowed));
  }

  /** Reads and checks every setting; throws {@link ConfigurationException} naming the first bad one. */
  public static LookoutSettings from(LookoutConfig config) {
    return new LookoutSettings(config);
  }

  /** From a plain map of {@code lookout.*} names to values (tests and tools). */
  public static LookoutSettings fromMap(Map<String, String> values) {
    return new LookoutSettings(LookoutConfig.fromMap(values));
  }

  /** The source the values came from, for a feature area that parses its own settings. */
  public LookoutConfig source() {
    return source;
  }

  /** Upper bounds of the request duration histogram, in seconds (a copy). */
  public double[] durationBuckets() {
    return durationBuckets.clone();
  }

  /** The force-logging token's bytes (a copy), for a constant-time comparison. */
  public byte[] forceLogToken() {
    return forceLogToken.clone();
  }

  static String headerName(LookoutConfig config, Setting setting) {
    String v = config.get(setting);
    if (v.isEmpty()) {
      throw LookoutConfig.invalid(setting, v, "an HTTP header name");
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean token =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!token) {
        throw LookoutConfig.invalid(setting, v, "an HTTP header name");
      }
    }
    return v;
  }

  private static double[] buckets(LookoutConfig config) {
    List<String> parts = config.getList(Settings.METRICS_DURATION_BUCKETS);
    double[] out = new double[parts.size()];
    try {
      for (int i = 0; i < out.length; i++) {
        out[i] = Double.parseDouble(parts.get(i));
        if (!(out[i] > 0) || (i > 0 && out[i] <= out[i - 1]) || Double.isInfinite(out[i])) {
          throw new NumberFormatException();
        }
      }
    } catch (NumberFormatException e) {
      out = new double[0];
    }
    if (out.length == 0) {
      throw LookoutConfig.invalid(
          Settings.METRICS_DURATION_BUCKETS,
          config.get(Settings.METRICS_DURATION_BUCKETS),
          "increasing positive numbers of seconds, e.g. 0.05,0.1,0.5,1");
    }
    return out;
  }
}
