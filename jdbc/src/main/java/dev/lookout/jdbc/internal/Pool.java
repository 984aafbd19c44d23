package dev.lookout.jdbc.internal;

import io.opentelemetry.instrumentation.api.incubator.semconv.db.SqlDialect;
import io.opentelemetry.instrumentation.api.incubator.semconv.db.SqlQuery;
import io.opentelemetry.instrumentation.api.incubator.semconv.db.SqlQueryAnalyzer;
import io.opentelemetry.instrumentation.jdbc.internal.JdbcConnectionUrlParser;
import io.opentelemetry.instrumentation.jdbc.internal.dbinfo.DbInfo;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One observed source of connections (a wrapped DataSource or a {@code jdbc:lookout:} URL): its
 * {@code pool} label, what its URL says about the database, the connections the app holds now, and
 * the analysed statements. Internal.
 */
public final class Pool {

  /** Most distinct SQL texts analysed and kept per pool; further ones are analysed at each use. */
  static final int STATEMENT_CACHE_LIMIT = 2000;

  private static final Logger LOG = LogManager.getLogger("lookout");
  private static final SqlQueryAnalyzer ANALYZER = SqlQueryAnalyzer.create(true);
  private static final java.util.Set<String> OPERATIONS =
      java.util.Set.of(
          "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "CALL", "CREATE", "ALTER", "DROP", "TRUNCATE", "REPLACE",
          "UPSERT", "EXECUTE", "COMMIT", "ROLLBACK");

  final String name;
  final AtomicInteger active = new AtomicInteger();
  final PoolStats stats; // the pool's own max/idle counts, or null
  private volatile Database database; // null until the first connection tells
  private final ConcurrentHashMap<String, SqlInfo> statements = new ConcurrentHashMap<>();
  private final AtomicBoolean cacheFullReported = new AtomicBoolean();

  Pool(String name, PoolStats stats, String url) {
    this.name = name;
    this.stats = stats;
    if (url != null) {
      this.database = Database.of(url);
    }
  }

  Database database() {
    return database;
  }

  /** Learns the database from the first connection's URL, when the DataSource did not say. */
  void learnDatabase(java.sql.Connection connection) {
    if (database != null) {
      return;
    }
    try {
      String url = connection.getMetaData().getURL();
      database = url == null ? Database.UNKNOWN : Database.of(url);
    } catch (Exception | LinkageError e) {
      database = Database.UNKNOWN;
    }
  }

  /** The analysis of a SQL text, cached. */
  SqlInfo analyze(String sql) {
    if (sql == null) {
      sql = "";
    }
    SqlInfo info = statements.get(sql);
    if (info != null) {
      return info;
    }
    info = analyzeUncached(sql, dialect());
    if (statements.size() < STATEMENT_CACHE_LIMIT) {
      SqlInfo raced = statements.putIfAbsent(sql, info);
      return raced != null ? raced : info;
    }
    if (cacheFullReported.compareAndSet(false, true)) {
      LOG.warn(
          "Lookout: pool '{}' ran more than {} distinct SQL texts; further ones are analysed at each"
              + " execution. Does the application build SQL with literals instead of bind parameters?",
          name,
          STATEMENT_CACHE_LIMIT);
    }
    return info;
  }

  private SqlDialect dialect() {
    Database d = database;
    return d != null && d.doubleQuotesAreIdentifiers
        ? SqlDialect.DOUBLE_QUOTES_ARE_IDENTIFIERS
        : SqlDialect.DOUBLE_QUOTES_ARE_STRING_LITERALS;
  }

  // getOperationName/getCollectionName are deprecated in favour of the query summary of newer
  // conventions; the labels need the verb and the first table apart, which only these give.
  @SuppressWarnings("deprecation")
  static SqlInfo analyzeUncached(String sql, SqlDialect dialect) {
    String text;
    String operation = null;
    String collection = null;
    try {
      SqlQuery q = ANALYZER.analyze(sql, dialect);
      text = q.getQueryText();
      operation = q.getOperationName();
      collection = q.getCollectionName();
    } catch (RuntimeException | StackOverflowError e) {
      text = null;
    }
    text = text == null ? "?" : safeText(text);
    String verb = verb(operation);
    String table = collection == null ? "" : cut(collection, 128);
    String spanName;
    if (operation != null) {
      spanName = collection != null ? operation + ' ' + table : operation;
    } else {
      spanName = verb;
    }
    return new SqlInfo(text, verb, table, collection == null ? null : table, operation, spanName);
  }

  /** The operation label: the first word of the sanitizer's operation if it is a known verb. */
  static String verb(String operation) {
    if (operation == null || operation.isEmpty()) {
      return "OTHER";
    }
    int space = operation.indexOf(' ');
    String first = (space < 0 ? operation : operation.substring(0, space)).toUpperCase(Locale.ROOT);
    return OPERATIONS.contains(first) ? first : "OTHER";
  }

  /**
   * The sanitizer leaves a text it cannot parse as it is, so an unterminated literal would reach
   * logs and spans: everything from a quote that is still there is replaced by {@code ?}.
   */
  static String safeText(String sanitized) {
    int quote = sanitized.indexOf('\'');
    String safe = quote < 0 ? sanitized : sanitized.substring(0, quote) + '?';
    return cut(safe, SqlInfo.MAX_TEXT);
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + '…';
  }

  /** What a JDBC URL says about the database, for span attributes and the SQL dialect. */
  static final class Database {
    static final Database UNKNOWN = new Database("other_sql", null, null, -1);

    final String system;
    final String namespace;
    final String serverAddress;
    final int serverPort;
    final boolean doubleQuotesAreIdentifiers;

    Database(String system, String namespace, String serverAddress, int serverPort) {
      this.system = system;
      this.namespace = namespace;
      this.serverAddress = serverAddress;
      this.serverPort = serverPort;
      // Standard SQL: "x" names an identifier; only MySQL-like systems read it as a string.
      this.doubleQuotesAreIdentifiers = !"mysql".equals(system) && !"mariadb".equals(system) && !"other_sql".equals(system);
    }

    static Database of(String url) {
      try {
        DbInfo info = JdbcConnectionUrlParser.parse(url, new Properties());
        String system = info.getDbSystemName() != null ? info.getDbSystemName() : info.getDbSystem();
        Integer port = info.getServerPort();
        return new Database(
            system == null ? "other_sql" : system,
            info.getDbNamespace() != null ? info.getDbNamespace() : info.getDbName(),
            info.getServerAddress(),
            port == null ? -1 : port);
      } catch (RuntimeException | LinkageError e) {
        return UNKNOWN;
      }
    }
  }
}
