package dev.lookout.benchmarks;

import dev.lookout.filters.internal.LookoutRuntime;
import dev.lookout.filters.internal.LookoutServletContextListener;
import dev.lookout.jdbc.LookoutJdbc;
import dev.lookout.jdbc.internal.DbStartupListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One statement on an open connection to H2 in memory — prepare {@code SELECT 1}, execute, read the
 * row, close — bare, and through {@link LookoutJdbc#wrap} with Lookout's runtime running (metrics,
 * per-request counters, slow-query check), without and with a CLIENT span.
 */
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class JdbcBenchmark {

  /** bare: H2's own connection; wrapped: Lookout, tracing off; wrapped-span: Lookout with a span per statement. */
  @Param({"bare", "wrapped", "wrapped-span"})
  public String variant;

  private Server server;
  private Connection connection;

  @Setup
  public void start() throws Exception {
    if (!variant.equals("wrapped-span")) {
      System.setProperty("lookout.tracing.enabled", "false");
    }
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
    DataSource ds = h2;
    if (!variant.equals("bare")) {
      // a web application with Lookout running, so that statements are recorded for real
      server = new Server();
      ServletContextHandler ctx = new ServletContextHandler("/");
      ctx.addEventListener(new LookoutServletContextListener());
      ctx.addEventListener(new DbStartupListener());
      server.setHandler(ctx);
      server.start();
      if (LookoutRuntime.current() == null) {
        throw new IllegalStateException("Lookout's runtime did not start");
      }
      ds = LookoutJdbc.wrap(h2, "bench");
    }
    connection = ds.getConnection();
  }

  @TearDown
  public void stop() throws Exception {
    connection.close();
    if (server != null) {
      server.stop();
    }
  }

  @Benchmark
  public int statement() throws Exception {
    try (PreparedStatement ps = connection.prepareStatement("SELECT 1");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
