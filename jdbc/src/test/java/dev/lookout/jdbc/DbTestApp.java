package dev.lookout.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lookout.filters.internal.LookoutServletContextListener;
import dev.lookout.jdbc.internal.DbStartupListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A small web application with Lookout and a HikariCP pool over H2 wrapped by {@link LookoutJdbc},
 * in a real Jetty on a free port. Each path runs one kind of database work.
 */
final class DbTestApp implements AutoCloseable {

  final Server server;
  final URI base;
  final HikariDataSource pool;
  final DataSource dataSource;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private DbTestApp(Server server, URI base, HikariDataSource pool, DataSource dataSource) {
    this.server = server;
    this.base = base;
    this.pool = pool;
    this.dataSource = dataSource;
  }

  static DbTestApp start(String database, Map<String, String> initParams) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1");
    config.setMaximumPoolSize(4);
    config.setPoolName("orders");
    HikariDataSource hikari = new HikariDataSource(config);
    DataSource ds = LookoutJdbc.wrap(hikari);
    try (Connection c = hikari.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, item VARCHAR(200) NOT NULL)");
      s.execute("INSERT INTO orders (item) VALUES ('coffee'), ('tea')");
      s.execute("CREATE ALIAS SLEEP FOR 'java.lang.Thread.sleep(long)'");
    }

    Server server = new Server(0);
    ServletContextHandler ctx = new ServletContextHandler("/app");
    initParams.forEach(ctx::setInitParameter);
    ctx.addEventListener(new LookoutServletContextListener());
    ctx.addEventListener(new DbStartupListener());
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int n = req.getParameter("n") == null ? 1 : Integer.parseInt(req.getParameter("n"));
        StringBuilder out = new StringBuilder();
        try (Connection c = ds.getConnection()) {
          for (int i = 0; i < n; i++) {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, item FROM orders WHERE id = ?")) {
              ps.setLong(1, 1 + (i % 2));
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.append(rs.getString(2)).append('\n');
                }
              }
            }
          }
        } catch (SQLException e) {
          throw new IOException(e);
        }
        resp.getWriter().write(out.toString());
      }
    }), "/orders");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (Connection c = ds.getConnection();
            Statement s = c.createStatement()) {
          s.execute("CALL SLEEP(" + Long.parseLong(req.getParameter("ms")) + ")");
        } catch (SQLException e) {
          throw new IOException(e);
        }
        resp.getWriter().write("slept");
      }
    }), "/slow");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (Connection c = ds.getConnection();
            Statement s = c.createStatement()) {
          s.executeQuery("SELECT * FROM missing_table WHERE secret = 'hunter2'");
          resp.getWriter().write("no error?");
        } catch (SQLException e) {
          resp.setStatus(500);
          resp.getWriter().write(e.getClass().getName() + " " + e.getSQLState());
        }
      }
    }), "/error");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (Connection c = ds.getConnection()) {
          c.setAutoCommit(false);
          int[] counts;
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (item) VALUES (?)")) {
            for (int i = 0; i < 3; i++) {
              ps.setString(1, "batch-" + i);
              ps.addBatch();
            }
            counts = ps.executeBatch();
          }
          int updated;
          try (PreparedStatement ps = c.prepareStatement("UPDATE orders SET item = ? WHERE item LIKE 'batch-%'")) {
            ps.setString(1, "done");
            updated = ps.executeUpdate();
          }
          c.commit();
          resp.getWriter().write(counts.length + " " + updated);
        } catch (SQLException e) {
          throw new IOException(e);
        }
      }
    }), "/write");
    server.setHandler(ctx);
    server.start();
    URI base = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/app");
    return new DbTestApp(server, base, hikari, ds);
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(base.getPath() + path)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of one sample line of /metrics, or 0 when absent. */
  double metric(String series) throws Exception {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
      }
    }
    return 0;
  }

  String metrics() throws Exception {
    return get("/metrics").body();
  }

  @Override
  public void close() throws Exception {
    server.stop();
    pool.close();
  }
}
