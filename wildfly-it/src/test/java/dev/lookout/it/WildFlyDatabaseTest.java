package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * lookout-jdbc in WildFly, one server for all: the application's own {@code <data-source>} over a
 * {@code jdbc:lookout:} URL, WildFly's {@code ExampleDS} (IronJacamar, statistics enabled by the
 * CLI) wrapped in code with its pool's max and idle counts from WildFly's management model, the
 * driver class that WildFly refuses in a {@code <data-source>}, and an undeploy that leaves no JDBC
 * driver registered. The application is a small test WAR ({@code dev.lookout.it.dbapp}) on the
 * example's libraries.
 */
class WildFlyDatabaseTest {

  static final List<String> CLI = List.of(
      "/subsystem=datasources/data-source=ExampleDS:write-attribute(name=statistics-enabled, value=true)",
      "/subsystem=datasources/data-source=ExampleDS:write-attribute(name=max-pool-size, value=7)");

  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  static WildFlyServer server;

  @BeforeAll
  static void start() throws Exception {
    server = WildFlyServer.start("wildfly-db", Map.of(), war("db", "dev.lookout.jdbc.LookoutDriverDataSource"), CLI);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theApplicationsOwnDataSourceOverAJdbcLookoutUrlIsObserved() throws Exception {
    URI app = server.base();
    assertThat(get(app, "/db/app?n=2").body()).isEqualTo("2 selects, 0 rows");
    Metrics m = Metrics.of(app);
    m.is("db_queries_total{operation=\"SELECT\",outcome=\"ok\",table=\"items\"}", 2);
    m.is("db_queries_total{operation=\"CREATE\",outcome=\"ok\",table=\"items\"}", 1);
    m.is("db_query_duration_seconds_count{operation=\"SELECT\",table=\"items\"}", 2);
    // the driver sees the physical connections IronJacamar's pool opens: one, kept open
    m.is("db_connections_active{pool=\"orders\"}", 1);
    m.is("db_connection_wait_seconds_count{pool=\"orders\"}", 1);
  }

  @Test
  void wildFlysOwnDataSourceWrappedInCodeHasItsPoolCountsFromIronJacamar() throws Exception {
    URI app = server.base();
    assertThat(get(app, "/db/server").body()).isEqualTo("1 connections");
    Metrics m = Metrics.of(app);
    m.is("db_connections_max{pool=\"example\"}", 7);
    m.is("db_connections_idle{pool=\"example\"}", 1);
    m.is("db_connections_active{pool=\"example\"}", 0);

    assertThat(get(app, "/db/server?n=3").body()).isEqualTo("3 connections");
    m = Metrics.of(app);
    m.is("db_queries_total{operation=\"SELECT\",outcome=\"ok\",table=\"stock\"}", 4);
    m.is("db_query_duration_seconds_count{operation=\"SELECT\",table=\"stock\"}", 4);
    m.is("db_connection_wait_seconds_count{pool=\"example\"}", 4);
    m.is("db_connections_max{pool=\"example\"}", 7);
    // three physical connections were open at once; all are back in the pool
    m.is("db_connections_idle{pool=\"example\"}", 3);
    m.is("db_connections_active{pool=\"example\"}", 0);
  }

  @Test
  void aDriverClassInADataSourceDefinitionFailsTheDeploymentOnWildFly() throws Exception {
    String failure = server.deploy(war("driver-class", "dev.lookout.jdbc.LookoutDriver"), "driver-class.war");
    assertThat(failure).as("WildFly's datasources subsystem takes DataSource classes only").isNotNull()
        .contains("dev.lookout.jdbc.LookoutDriver is not a valid javax.sql.DataSource implementation");
  }

  @Test
  void undeployLeavesNoJdbcDriverOfTheApplicationRegistered() throws Exception {
    assertThat(server.deploy(war("second", "dev.lookout.jdbc.LookoutDriverDataSource"), "second.war")).isNull();
    URI second = server.base("second");
    assertThat(get(second, "/db/app").statusCode()).isEqualTo(200);
    List<String> drivers = get(second, "/db/drivers").body().lines().toList();
    assertThat(drivers).anyMatch(d -> d.startsWith("dev.lookout.jdbc.LookoutDriver@")).anyMatch(d -> d.startsWith("org.h2.Driver@"));

    server.undeploy("second.war");
    // DriverManager prints what it deregisters; the lines reach the console log soon after
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<String> missing = drivers;
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      List<String> console = server.consoleLines();
      missing =
          drivers.stream()
              .filter(d -> console.stream().noneMatch(l -> l.stripTrailing().endsWith("DriverManager.deregisterDriver: " + d)))
              .toList();
      if (!missing.isEmpty()) {
        Thread.sleep(100);
      }
    }
    assertThat(missing).as("drivers of the undeployed application still registered").isEmpty();
    assertThat(server.consoleLines()).noneMatch(l -> l.contains("couldn't find driver to unload"));
  }

  /** One scrape of /metrics. */
  record Metrics(String text) {
    static Metrics of(URI app) throws Exception {
      return new Metrics(get(app, "/metrics").body());
    }

    void is(String series, double expected) {
      Double value = null;
      for (String line : text.split("\n")) {
        if (line.startsWith(series + " ")) {
          value = Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
        }
      }
      assertThat(value).as("%s in%n%s", series, text).isEqualTo(expected);
    }
  }

  static HttpResponse<String> get(URI base, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve(base.getPath() + path)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s %s", path, r.body()).isEqualTo(200);
    return r;
  }

  /**
   * The test application: the example WAR's libraries and WildFly descriptor, the classes of
   * {@code dev.lookout.it.dbapp}, and a web.xml whose {@code <data-source>} names this class
   * (none with null).
   */
  static Path war(String name, String dataSourceClass) throws IOException, URISyntaxException {
    Path source = Path.of(System.getProperty("it.war"));
    Path target = Path.of(System.getProperty("it.work", "target/it-work")).resolve(name + ".war");
    Files.createDirectories(target.getParent());
    Files.deleteIfExists(target);
    Path classes = Path.of(WildFlyDatabaseTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(source));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        String entry = e.getName();
        if (entry.startsWith("WEB-INF/lib/") || entry.equals("WEB-INF/jboss-deployment-structure.xml")
            || entry.equals("WEB-INF/classes/log4j2.component.properties")) {
          out.putNextEntry(new ZipEntry(entry));
          in.transferTo(out);
          out.closeEntry();
        }
      }
      Path app = classes.resolve("dev/lookout/it/dbapp");
      try (Stream<Path> files = Files.walk(app)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          out.putNextEntry(new ZipEntry("WEB-INF/classes/" + classes.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
      String webXml;
      try (InputStream r = WildFlyDatabaseTest.class.getResourceAsStream("/wildfly-db/web.xml")) {
        webXml = new String(r.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (dataSourceClass == null) {
        webXml = webXml.substring(0, webXml.indexOf("  <!-- data-source")) + webXml.substring(webXml.indexOf("  <!-- /data-source -->"));
      } else {
        webXml = webXml.replace("${datasource.class}", dataSourceClass);
      }
      out.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
      out.write(webXml.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return target;
  }
}
