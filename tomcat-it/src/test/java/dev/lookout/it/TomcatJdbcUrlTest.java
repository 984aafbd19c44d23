package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The zero-code path in Debian's standalone Tomcat 10.1: a pool defined only in the WAR's
 * {@code META-INF/context.xml} with a {@code jdbc:lookout:} URL, looked up by JNDI (Lookout's
 * readiness check borrows from it; the pool validates each borrowed connection with a query).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TomcatJdbcUrlTest {

  static final String CONTEXT_XML =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          + "<Context>\n"
          + "  <Resource name=\"jdbc/zero\" auth=\"Container\" type=\"javax.sql.DataSource\"\n"
          + "            driverClassName=\"dev.lookout.jdbc.LookoutDriver\"\n"
          + "            url=\"jdbc:lookout:h2:mem:zero;DB_CLOSE_DELAY=-1\"\n"
          + "            maxTotal=\"4\" testOnBorrow=\"true\" validationQuery=\"SELECT 1\"/>\n"
          + "</Context>\n";

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  OtlpReceiver receiver;
  StandaloneTomcat tomcat;

  @BeforeAll
  void start() throws Exception {
    Path work = Path.of(System.getProperty("it.work", "target/it-work")).toAbsolutePath();
    Files.createDirectories(work);
    Path war = work.resolve("lookout-example-jdbc-url.war");
    Files.copy(Path.of(System.getProperty("it.war")), war, StandardCopyOption.REPLACE_EXISTING);
    try (FileSystem zip = FileSystems.newFileSystem(war)) {
      Files.createDirectories(zip.getPath("META-INF"));
      Files.writeString(zip.getPath("META-INF/context.xml"), CONTEXT_XML);
    }
    receiver = new OtlpReceiver();
    tomcat =
        StandaloneTomcat.start(
            "jdbc-url",
            Map.of(
                "lookout.health.datasource", "java:comp/env/jdbc/zero",
                "otel.exporter.otlp.protocol", "http/protobuf",
                "otel.exporter.otlp.endpoint", receiver.endpoint(),
                "otel.bsp.schedule.delay", "50"),
            war);
  }

  @AfterAll
  void stop() throws Exception {
    if (tomcat != null) {
      tomcat.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(tomcat.base() + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void statementsOfAPoolDefinedInContextXmlAreObservedAndUndeployLeavesNothingBehind() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }
    MetricsText m = MetricsText.parse(get("/metrics").body());
    assertThat(m.value("db_queries_total", "operation", "SELECT", "table", "", "outcome", "ok"))
        .as("the pool's validation query, through the jdbc:lookout: driver")
        .isGreaterThanOrEqualTo(1);
    assertThat(m.value("db_connection_wait_seconds_count", "pool", "zero")).as("physical connections made").isPositive();
    assertThat(m.value("db_connections_active", "pool", "zero")).as("the pool holds its connection").isPositive();

    Span span = awaitClientSpan();
    assertThat(span.getName()).isEqualTo("SELECT");
    assertThat(attr(span, "db.system.name")).isEqualTo("h2database");
    assertThat(attr(span, "db.query.text")).isEqualTo("SELECT ?");

    tomcat.close(); // SIGTERM: Tomcat stops the web application, then checks it for leaks
    String log = tomcat.catalinaOut();
    assertThat(log).contains("Stopping service [Catalina]");
    assertThat(log).as("no JDBC driver left registered (Tomcat's leak detection)").doesNotContain("registered the JDBC driver");
    // Threads left behind: none of the database's. The JDK HttpClient threads of the OTLP span
    // exporter (lookout-filters, exporting here so that spans can be checked) are not ours to judge.
    for (String line : log.split("\n")) {
      if (line.contains("appears to have started a thread named")) {
        assertThat(line).as("a thread left behind").contains("[HttpClient-");
      }
    }
    tomcat = null;
  }

  Span awaitClientSpan() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      List<OtlpReceiver.ReceivedSpan> spans = receiver.spans();
      for (OtlpReceiver.ReceivedSpan s : spans) {
        if (s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT && "zero".equals(attr(s.span(), "db.client.connection.pool.name"))) {
          return s.span();
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no database CLIENT span exported");
  }

  static String attr(Span s, String key) {
    for (KeyValue kv : s.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().hasIntValue() ? Long.toString(kv.getValue().getIntValue()) : kv.getValue().getStringValue();
      }
    }
    return null;
  }
}
