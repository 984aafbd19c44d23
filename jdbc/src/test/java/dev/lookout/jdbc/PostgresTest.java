package dev.lookout.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real PostgreSQL server behind a HikariCP pool smaller than the threads using it. */
class PostgresTest {

  static final int THREADS = 8;
  static final int PER_THREAD = 25;

  static PostgresServer postgres;
  static DbTestApp app; // a web application with Lookout running, whose /metrics is read
  static HikariDataSource hikari;
  static DataSource ds;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("otel.traces.exporter", "memory");
    System.setProperty("otel.bsp.schedule.delay", "10");
    postgres = PostgresServer.start();
    app = DbTestApp.start("pg-runtime", Map.of());
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.url());
    config.setUsername("postgres");
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(2);
    config.setPoolName("pg");
    hikari = new HikariDataSource(config);
    ds = LookoutJdbc.wrap(hikari);
    try (Connection c = ds.getConnection()) {
      c.createStatement().execute("CREATE TABLE accounts (id SERIAL PRIMARY KEY, owner TEXT NOT NULL UNIQUE)");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (hikari != null) {
        hikari.close();
      }
      if (app != null) {
        app.close();
      }
    } finally {
      if (postgres != null) {
        postgres.close();
      }
      System.clearProperty("otel.traces.exporter");
      System.clearProperty("otel.bsp.schedule.delay");
    }
  }

  @Test
  void concurrentLoadIsCountedExactlyAndWaitingForThePoolIsVisible() throws Exception {
    String ok = "db_queries_total{operation=\"SELECT\",outcome=\"ok\",table=\"accounts\"}";
    String waits = "db_connection_wait_seconds_count{pool=\"pg\"}";
    double before = app.metric(ok);
    double waitsBefore = app.metric(waits);
    double waitSumBefore = app.metric("db_connection_wait_seconds_sum{pool=\"pg\"}");
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < PER_THREAD; i++) {
                  // each holds its connection for a while, so that the other six wait for the pool
                  try (Connection c = ds.getConnection();
                      PreparedStatement ps =
                          c.prepareStatement("SELECT count(*), pg_sleep(0.002) FROM accounts WHERE owner = ?")) {
                    ps.setString(1, "nobody");
                    try (ResultSet rs = ps.executeQuery()) {
                      rs.next();
                    }
                  }
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(app.metric(ok)).isEqualTo(before + THREADS * PER_THREAD);
    assertThat(app.metric(waits)).isEqualTo(waitsBefore + THREADS * PER_THREAD);
    assertThat(app.metric("db_connection_wait_seconds_sum{pool=\"pg\"}") - waitSumBefore)
        .as("six threads waited for two connections")
        .isGreaterThan(0.01);
    String metrics = app.metrics();
    assertThat(metrics).contains("db_connections_active{pool=\"pg\"} 0.0").contains("db_connections_max{pool=\"pg\"} 2.0");
  }

  @Test
  void spansNamePostgresAndItsAddress() throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (owner) VALUES (?)")) {
      ps.setString(1, "alice");
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    SpanData span = awaitSpan("INSERT accounts");
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("postgresql");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("db.namespace"))).isEqualTo("postgres");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("127.0.0.1");
    assertThat(span.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo((long) postgres.port);
    assertThat(span.getAttributes().get(AttributeKey.longKey("db.response.affected_rows"))).isEqualTo(1L);
  }

  @Test
  void aConstraintViolationIsAnErrorOfItsSqlStateClass() throws Exception {
    String error = "db_queries_total{operation=\"INSERT\",outcome=\"error\",table=\"accounts\"}";
    double before = app.metric(error);
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (owner) VALUES (?)")) {
      ps.setString(1, "bob");
      ps.executeUpdate();
      SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, ps::executeUpdate);
      assertThat(e.getClass().getName()).isEqualTo("org.postgresql.util.PSQLException");
      assertThat(e.getSQLState()).isEqualTo("23505");
    }
    assertThat(app.metric(error)).isEqualTo(before + 1);
  }

  static SpanData awaitSpan(String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (SpanData s : MemoryExporterProvider.SPANS.getFinishedSpanItems()) {
        if (s.getName().equals(name) && "postgresql".equals(s.getAttributes().get(AttributeKey.stringKey("db.system.name")))) {
          return s;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no span " + name);
  }
}
