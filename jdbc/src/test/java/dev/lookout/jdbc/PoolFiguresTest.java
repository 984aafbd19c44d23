package dev.lookout.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.filters.internal.LookoutServletContextListener;
import dev.lookout.jdbc.internal.DbStartupListener;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pools' own maximum and idle counts at /metrics of a web application with Lookout: real Agroal
 * pools over H2, wrapped by {@link LookoutJdbc}, whose figures follow the connections taken and
 * returned; and a WildFly datasource where no WildFly management model is, whose figures are left
 * out while everything else works.
 */
class PoolFiguresTest {

  static Server server;
  static URI metrics;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    server = new Server(0);
    ServletContextHandler ctx = new ServletContextHandler("/app");
    ctx.addEventListener(new LookoutServletContextListener());
    ctx.addEventListener(new DbStartupListener());
    server.setHandler(ctx);
    server.start();
    metrics = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/app/metrics");
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  static AgroalDataSource agroal(String database, int max, boolean metricsEnabled) throws SQLException {
    return AgroalDataSource.from(
        new AgroalDataSourceConfigurationSupplier()
            .metricsEnabled(metricsEnabled)
            .connectionPoolConfiguration(
                pool -> pool.maxSize(max)
                    .connectionFactoryConfiguration(cf -> cf.jdbcUrl("jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1"))));
  }

  @Test
  void maxAndIdleComeFromAgroalsOwnApiAsConnectionsAreTakenAndReturned() throws Exception {
    try (AgroalDataSource pool = agroal("agroal-counts", 3, true)) {
      DataSource ds = LookoutJdbc.wrap(pool, "agroal-orders");
      assertThat(series("db_connections_max", "agroal-orders")).isEqualTo(3.0);
      assertThat(series("db_connections_idle", "agroal-orders")).isEqualTo(0.0);

      Connection first = ds.getConnection();
      Connection second = ds.getConnection();
      assertThat(series("db_connections_active", "agroal-orders")).isEqualTo(2.0);
      assertThat(series("db_connections_idle", "agroal-orders")).isEqualTo(0.0);

      first.close();
      assertThat(series("db_connections_idle", "agroal-orders")).isEqualTo(1.0);
      assertThat(series("db_connections_active", "agroal-orders")).isEqualTo(1.0);
      second.close();
      assertThat(series("db_connections_idle", "agroal-orders")).isEqualTo(2.0);
      assertThat(series("db_connections_active", "agroal-orders")).isEqualTo(0.0);

      // Agroal can be resized at run time: the maximum is read at each scrape
      pool.getConfiguration().connectionPoolConfiguration().setMaxSize(5);
      assertThat(series("db_connections_max", "agroal-orders")).isEqualTo(5.0);
    }
  }

  @Test
  void withAgroalsMetricsOffItsZerosAreNotReportedAsIdle() throws Exception {
    try (AgroalDataSource pool = agroal("agroal-no-metrics", 2, false)) {
      DataSource ds = LookoutJdbc.wrap(pool, "agroal-quiet");
      try (Connection c = ds.getConnection()) {
        c.isValid(1);
      }
      assertThat(series("db_connections_max", "agroal-quiet")).isEqualTo(2.0);
      assertThat(series("db_connections_idle", "agroal-quiet")).as("unknown, not 0").isNull();

      pool.getConfiguration().setMetricsEnabled(true);
      try (Connection c = ds.getConnection()) {
        assertThat(c.isValid(1)).isTrue();
        assertThat(series("db_connections_idle", "agroal-quiet")).as("the one connection is taken").isEqualTo(0.0);
      }
      assertThat(series("db_connections_idle", "agroal-quiet")).isEqualTo(1.0);
    }
  }

  @Test
  void aWrapperThatUnwrapsToAgroalIsSeenThrough() throws Exception {
    try (AgroalDataSource pool = agroal("agroal-wrapped", 4, true)) {
      DataSource ds = LookoutJdbc.wrap(new FrameworkWrapper(pool), "agroal-framework");
      try (Connection c = ds.getConnection()) {
        c.isValid(1);
      }
      assertThat(series("db_connections_max", "agroal-framework")).isEqualTo(4.0);
      assertThat(series("db_connections_idle", "agroal-framework")).isEqualTo(1.0);
    }
  }

  @Test
  void aWildFlyDataSourceWithoutWildFlysManagementModelHasNoFiguresAndWorks() throws Exception {
    org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
    h2.setURL("jdbc:h2:mem:no-wildfly;DB_CLOSE_DELAY=-1");
    DataSource ds = LookoutJdbc.wrap(new org.jboss.as.connector.subsystems.datasources.WildFlyDataSource(h2), "not-in-wildfly");
    try (Connection c = ds.getConnection();
        java.sql.Statement s = c.createStatement()) {
      assertThat(s.execute("SELECT 1")).isTrue();
      assertThat(series("db_connections_active", "not-in-wildfly")).isEqualTo(1.0);
    }
    assertThat(series("db_connections_max", "not-in-wildfly")).isNull();
    assertThat(series("db_connections_idle", "not-in-wildfly")).isNull();
    assertThat(series("db_connections_active", "not-in-wildfly")).isEqualTo(0.0);
  }

  /** The value of one series at /metrics, null when absent. */
  static Double series(String metric, String pool) throws Exception {
    String prefix = metric + "{pool=\"" + pool + "\"} ";
    String body =
        http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : body.split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(prefix.length()).trim().split(" ")[0]);
      }
    }
    return null;
  }

  /** What a framework's own DataSource in front of the pool looks like: JDBC's unwrap reaches it. */
  static final class FrameworkWrapper implements DataSource {
    private final DataSource delegate;

    FrameworkWrapper(DataSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return delegate.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return iface.isInstance(delegate) ? iface.cast(delegate) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return iface.isInstance(delegate) || delegate.isWrapperFor(iface);
    }
  }
}
