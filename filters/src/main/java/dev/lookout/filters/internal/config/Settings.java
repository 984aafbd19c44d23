package dev.lookout.filters.internal.config;

/** Every setting of {@code lookout-filters}. Internal; documented in {@code docs/configuration.md}. */
public final class Settings {

  public static final Setting ENABLED =
      Setting.define("lookout.enabled", "true", "Master switch: `false` registers nothing at all.");

  public static final Setting SERVICE_NAME =
      Setting.define(
          "lookout.service.name",
          "",
          "Service name in `app_info` and logs. Empty: the context path without its slash, or `root`.");
  public static final Setting SERVICE_VERSION =
      Setting.define(
          "lookout.service.version",
          "",
          "Service version. Empty: `Implementation-Version` of the WAR's manifest, else `unknown`.");
  public static final Setting SERVICE_ENVIRONMENT =
      Setting.define(
          "lookout.service.environment", "unknown", "Deployment environment, e.g. `production`.");

  public static final Setting REQUEST_ID_ENABLED =
      Setting.define(
          "lookout.request-id.enabled",
          "true",
          "Accept or generate a request ID, echo it and put it in the log context.");
  public static final Setting REQUEST_ID_HEADER =
      Setting.define(
          "lookout.request-id.header", "X-Request-ID", "Header that carries the request ID.");
  public static final Setting CORRELATION_ID_HEADER =
      Setting.define(
          "lookout.correlation-id.header",
          "X-Correlation-ID",
          "Header that carries the correlation ID (defaults to the request ID when absent).");

  public static final Setting METRICS_ENABLED =
      Setting.define(
          "lookout.metrics.enabled", "true", "Record RED metrics and serve them at the metrics path.");
  public static final Setting METRICS_PATH =
      Setting.define(
          "lookout.metrics.path", "/metrics", "Path of the Prometheus endpoint; empty: not served.");
  public static final Setting METRICS_ENDPOINT_LIMIT =
      Setting.define(
          "lookout.metrics.endpoint-limit",
          "100",
          "Most distinct `endpoint` label values; later ones become `OTHER` (1–10000).");
  public static final Setting METRICS_PATH_NORMALIZER =
      Setting.define(
          "lookout.metrics.path-normalizer",
          "false",
          "For apps without route templates: use the path with IDs replaced (`/users/{id}`) as `endpoint`.");
  public static final Setting METRICS_DURATION_BUCKETS =
      Setting.define(
          "lookout.metrics.duration-buckets",
          "0.005,0.01,0.025,0.05,0.1,0.25,0.5,1,2.5,5,10",
          "Upper bounds (seconds) of the `http_request_duration_seconds` buckets.");
  public static final Setting METRICS_JVM =
      Setting.define(
          "lookout.metrics.jvm", "true", "Expose JVM and process metrics (registered at the first scrape, not at startup).");

  public static final Setting HEALTH_ENABLED =
      Setting.define("lookout.health.enabled", "true", "Serve the health probes.");
  public static final Setting HEALTH_PATH =
      Setting.define(
          "lookout.health.path",
          "/health",
          "Base path of the probes (`/live`, `/ready`, `/started` below it).");
  public static final Setting HEALTH_TIMEOUT =
      Setting.define(
          "lookout.health.timeout",
          "2s",
          "Longest a single check may take before it is reported DOWN (`ms`, `s` or `m`).");
  public static final Setting HEALTH_CACHE_TTL =
      Setting.define(
          "lookout.health.cache-ttl",
          "1s",
          "How long one evaluation answers all probe requests (`0ms`: only concurrent requests share).");
  public static final Setting HEALTH_THREADS =
      Setting.define(
          "lookout.health.threads", "4", "Most threads running checks at once (1–64).");
  public static final Setting HEALTH_DATASOURCE =
      Setting.define(
          "lookout.health.datasource",
          "",
          "JNDI name of a DataSource checked for readiness, e.g. `java:comp/env/jdbc/orders`.");

  public static final Setting TRACING_ENABLED =
      Setting.define(
          "lookout.tracing.enabled",
          "true",
          "Create a SERVER span per request (OpenTelemetry SDK configured by `OTEL_*`), or enrich the Java agent's.");

  public static final Setting ACCESS_LOG_ENABLED =
      Setting.define(
          "lookout.access-log.enabled",
          "true",
          "Write one `request_completed` event per request to the logger `lookout.access`.");
  public static final Setting ACCESS_LOG_INCLUDE_LOOKOUT_ENDPOINTS =
      Setting.define(
          "lookout.access-log.include-lookout-endpoints",
          "false",
          "Also log requests to the metrics and health paths (scrapes and probes).");
  public static final Setting ACCESS_LOG_TRUSTED_PROXIES =
      Setting.define(
          "lookout.access-log.trusted-proxies",
          "",
          "Comma-separated IPs or CIDR ranges whose `X-Forwarded-For` is believed for `client_ip`.");
  public static final Setting ACCESS_LOG_MASKED_PARAMETERS =
      Setting.define(
          "lookout.access-log.masked-parameters",
          "password,passwd,pwd,secret,token,apikey,api_key,key,auth,authorization,session,signature,sig,credential,code",
          "Query parameters whose values are logged as `[REDACTED]`: a name matches when, lower-cased"
              + " and without `-`, `_` and `.`, it contains a listed word.");

  public static final Setting LOG_FORCE_HEADER =
      Setting.define(
          "lookout.log.force-header",
          "",
          "Header that forces full logging of a request when it carries the force token; empty: off.");
  public static final Setting LOG_FORCE_TOKEN =
      Setting.define(
          "lookout.log.force-token",
          "",
          "Secret value the force header must carry (compared in constant time); required with the header.");

  public static final Setting JAXRS_ENABLED =
      Setting.define(
          "lookout.jaxrs.enabled",
          "true",
          "With `lookout-jaxrs` deployed: register its JAX-RS providers (route templates, error context, client propagation).");

  // Read by lookout-log4j2's ready configuration; defined here so that they are known names.
  public static final Setting LOG_FORMAT =
      Setting.define(
          "lookout.log.format",
          "json",
          "With `lookout-log4j2`'s ready configuration: `json` (Lookout's fields), `ecs` (Elastic Common Schema), `logstash`, `gcp` (Google Cloud Logging), or `console` for readable coloured lines (the old variable `LOG_FORMAT` still works, with a warning).");
  public static final Setting LOG_LEVEL =
      Setting.define(
          "lookout.log.level",
          "INFO",
          "With `lookout-log4j2`'s ready configuration: the root level (the old variable `LOG_LEVEL` still works, with a warning).");

  public static final Setting LOG_SAMPLING_WARN_RATE =
      Setting.define("lookout.log.sampling.warn-rate", "0.5", "With `lookout-log4j2`: share of requests whose WARN events are kept.");
  public static final Setting LOG_SAMPLING_INFO_RATE =
      Setting.define("lookout.log.sampling.info-rate", "0.1", "With `lookout-log4j2`: share of requests whose INFO events are kept.");
  public static final Setting LOG_SAMPLING_DEBUG_RATE =
      Setting.define("lookout.log.sampling.debug-rate", "0", "With `lookout-log4j2`: share of requests whose DEBUG/TRACE events are kept (when the logger level allows them).");
  public static final Setting LOG_SAMPLING_INFO_PER_SECOND =
      Setting.define("lookout.log.sampling.info-per-second", "100", "With `lookout-log4j2`: most INFO events per second (token bucket); `0`: no limit.");
  public static final Setting LOG_SAMPLING_DUPLICATE_WINDOW =
      Setting.define("lookout.log.sampling.duplicate-window-seconds", "60", "With `lookout-log4j2`: a repeated message (logger, level, template) is kept once per window; `0`: off.");
  public static final Setting LOG_BUFFER_REQUEST_BYTES =
      Setting.define("lookout.log.buffer.request-bytes", "65536", "With `lookout-log4j2`: buffer of sampled-out events per request, written if the request fails; `0`: off.");
  public static final Setting LOG_BUFFER_TOTAL_BYTES =
      Setting.define("lookout.log.buffer.total-bytes", "16777216", "With `lookout-log4j2`: all request buffers together; past it, further events are not buffered (counted as `buffer_evicted`).");
  public static final Setting LOG_SUMMARY_INTERVAL =
      Setting.define("lookout.log.summary-interval-seconds", "60", "With `lookout-log4j2`: how often a WARN line sums up what sampling dropped; `0`: never.");
  public static final Setting LOG_REDACT_KEYS =
      Setting.define("lookout.log.redact-keys", "password,passwd,secret,token,api_key,apikey,authorization,cookie,set-cookie,session,credential,private_key", "With `lookout-log4j2`: field names (contained, ignoring case, `-`, `_`, `.`) whose values are written as `[REDACTED]`.");
  public static final Setting LOG_REDACT_PATTERNS =
      Setting.define("lookout.log.redact-patterns", "false", "With `lookout-log4j2`: also mask bearer/basic credentials, JWTs and Luhn-valid card numbers inside messages.");

  // Who may reach the metrics endpoint and the health details (docs/security.md).
  public static final Setting ENDPOINTS_PORT =
      Setting.define(
          "lookout.endpoints.port",
          "",
          "Serve the metrics endpoint and health details only on requests received on this local port (a second connector, see [security.md](security.md)); on other ports the metrics path answers 404 and health the status only. Empty: any port.");
  public static final Setting ENDPOINTS_TOKEN =
      Setting.define(
          "lookout.endpoints.token",
          "",
          "Bearer token the metrics endpoint and health details require (`Authorization: Bearer <token>`; compared in constant time, never logged; at least 16 visible ASCII characters, else the deployment fails). With a token and no allow-list, a forwarded request with the right token is served. Empty: no token.");
  public static final Setting ENDPOINTS_ALLOW =
      Setting.define(
          "lookout.endpoints.allow",
          "",
          "Comma-separated IPs or CIDR ranges, IPv4 or IPv6 (`10.0.0.0/8,fd00::/8`), allowed to get the metrics endpoint and health details, judged on the socket's remote address, or on the `X-Forwarded-For` client address when the peer is one of `lookout.access-log.trusted-proxies`. Empty: only the default rule for forwarded requests.");
  public static final Setting HEALTH_DETAILS =
      Setting.define(
          "lookout.health.details",
          "trusted",
          "Which health answers carry the checks and their `data`: `never`, `trusted` (callers that pass the endpoint rules below), `always`. The others get `{\"status\":\"UP\"}` or `{\"status\":\"DOWN\"}` with the same 200/503.");
  public static final Setting METRICS_SCRAPE_CONCURRENCY =
      Setting.define(
          "lookout.metrics.scrape-concurrency",
          "2",
          "Most scrapes of the metrics endpoint served at once (1–64); more wait up to `lookout.metrics.scrape-wait`, then get 503 with `Retry-After: 1`.");
  public static final Setting METRICS_SCRAPE_WAIT =
      Setting.define(
          "lookout.metrics.scrape-wait",
          "500ms",
          "Longest a scrape waits for a free slot before its 503 (`0ms`: never waits).");
  // Read by lookout-jdbc (docs/database.md).
  public static final Setting DB_ENABLED =
      Setting.define("lookout.db.enabled", "true", "Record metrics, spans and log events for the statements of wrapped DataSources and `jdbc:lookout:` URLs.");
  public static final Setting DB_SLOW_THRESHOLD =
      Setting.define("lookout.db.slow-threshold", "500ms", "A statement that takes longer logs WARN `slow_query` (`0ms`: off).");
  public static final Setting DB_SLOW_LOG_PER_MINUTE =
      Setting.define("lookout.db.slow-log-per-minute", "60", "Most `slow_query` lines per minute (0–100000); the next one kept says how many were left out.");
  public static final Setting DB_REPEATED_QUERY_THRESHOLD =
      Setting.define("lookout.db.repeated-query-threshold", "20", "A request that runs one statement more often than this logs WARN `db_repeated_query` once (`0`: off).");
  public static final Setting DB_CAPTURE_PARAMETERS =
      Setting.define("lookout.db.capture-parameters", "false", "Put the bind values of prepared statements on spans (`db.query.parameter.<n>`); they may hold personal data.");
  public static final Setting DB_TABLE_LIMIT =
      Setting.define("lookout.db.table-limit", "100", "Most distinct `table` label values; later ones become `OTHER` (1–10000).");
  public static final Setting DB_TRANSACTION_SPANS =
      Setting.define("lookout.db.transaction-spans", "false", "Also make a CLIENT span for each `commit` and `rollback`.");

  // Error tracking: read by lookout-log4j2's ready configuration (its LookoutSentry appender), on only with a
  // Sentry DSN (SENTRY_DSN, sentry.dsn or sentry.properties) and io.sentry:sentry-log4j2 deployed.
  public static final Setting ERRORS_ENABLED =
      Setting.define("lookout.errors.enabled", "true", "With `lookout-log4j2` and a Sentry DSN (`SENTRY_DSN`): send error events and failed requests to Sentry; `false`: Sentry stays unloaded.");
  public static final Setting ERRORS_EVENT_LEVEL =
      Setting.define("lookout.errors.event-level", "ERROR", "With error tracking: the least severe log level that becomes a Sentry event (`WARN`, `ERROR` or `FATAL`).");
  public static final Setting ERRORS_BREADCRUMB_LEVEL =
      Setting.define("lookout.errors.breadcrumb-level", "INFO", "With error tracking: the least severe log level kept as a breadcrumb of the request's event.");
  public static final Setting ERRORS_SAMPLE_RATE =
      Setting.define("lookout.errors.sample-rate", "1.0", "With error tracking: share of error events sent, in (0, 1].");
  public static final Setting ERRORS_QUEUE_SIZE =
      Setting.define("lookout.errors.queue-size", "100", "With error tracking: most events waiting to be sent (1–10000); more are dropped and counted in `lookout_error_events_dropped_total`.");

  private Settings() {}

  /** Loads this class so that every setting above is defined. */
  static void init() {}
}
