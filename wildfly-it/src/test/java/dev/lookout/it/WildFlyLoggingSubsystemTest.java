package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The example built as most WildFly applications are — RESTEasy from WildFly, WildFly's logging
 * subsystem (JBoss Log Manager) instead of Log4j2 in the WAR — with the console switched to WildFly's
 * JSON formatter by the CLI commands of docs/logging.md: Lookout's request fields are fields of
 * WildFly's JSON lines, for the application's Log4j API, JUL, SLF4J and Commons Logging lines.
 */
class WildFlyLoggingSubsystemTest {

  /** What WildFly provides itself, or what only lookout-log4j2's set-up needs. */
  private static final List<String> LEFT_OUT = List.of(
      "jersey-", "hk2-", "aopalliance-", "javassist-", "osgi-resource-locator-", "jakarta.ws.rs-api-",
      "jakarta.inject-api-", "jakarta.annotation-api-", "jakarta.validation-api-", "jakarta.xml.bind-api-",
      "jakarta.activation-api-", "jackson-module-jakarta-xmlbind-", "log4j-", "lookout-log4j2-", "slf4j-api-",
      "commons-logging-");

  static final List<String> CLI = List.of(
      "/subsystem=logging/json-formatter=JSON:add(exception-output-type=formatted, meta-data={service=orders})",
      "/subsystem=logging/console-handler=CONSOLE:write-attribute(name=named-formatter, value=JSON)");

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  final ObjectMapper json = new ObjectMapper();

  @Test
  void requestFieldsAreFieldsOfWildFlysJsonLines() throws Exception {
    Path war = wildFlyStyleWar();
    try (WildFlyServer server = WildFlyServer.start("wildfly-logging", Map.of(), war, CLI)) {
      HttpResponse<String> r =
          http.send(HttpRequest.newBuilder(server.base().resolve(server.base().getPath() + "/api/checkout/1")).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      String id = r.headers().firstValue("X-Request-ID").orElseThrow();

      List<JsonNode> mine = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline) {
        mine.clear();
        for (String line : server.consoleLines()) {
          if (line.startsWith("{")) {
            JsonNode n = json.readTree(line);
            if (id.equals(n.path("mdc").path("request_id").asText())) {
              mine.add(n);
            }
          }
        }
        if (mine.stream().anyMatch(n -> n.path("loggerName").asText().equals("lookout.access"))) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(mine).extracting(n -> n.path("loggerName").asText())
          .contains("dev.lookout.example.CheckoutResource", "warehouse.jul", "warehouse.slf4j", "warehouse.jcl", "lookout.access");
      for (JsonNode n : mine) {
        assertThat(n.path("mdc").path("trace_id").asText()).as(n.toString()).hasSize(32);
        assertThat(n.path("service").asText()).as("the formatter's meta-data").isEqualTo("orders");
        if (n.path("loggerName").asText().startsWith("warehouse.")) {
          assertThat(n.path("mdc").path("flow_id").asText()).as("inside the checkout flow: %s", n).startsWith("checkout-");
        }
      }
    }
  }

  /** The example WAR without Jersey and without Log4j2, with a web.xml for RESTEasy. */
  private static Path wildFlyStyleWar() throws IOException {
    Path source = Path.of(System.getProperty("it.war"));
    Path target = Path.of(System.getProperty("it.work", "target/it-work")).resolve("orders-wildfly-logging.war");
    Files.createDirectories(target.getParent());
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(source));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        String name = e.getName();
        String file = name.substring(name.lastIndexOf('/') + 1);
        boolean replaced = name.equals("WEB-INF/web.xml") || name.equals("WEB-INF/jboss-deployment-structure.xml")
            || name.equals("WEB-INF/classes/log4j2.component.properties");
        if (replaced || (name.startsWith("WEB-INF/lib/") && LEFT_OUT.stream().anyMatch(file::startsWith))) {
          continue;
        }
        out.putNextEntry(new ZipEntry(name));
        in.transferTo(out);
        out.closeEntry();
      }
      for (String f : List.of("web.xml", "jboss-deployment-structure.xml")) {
        out.putNextEntry(new ZipEntry("WEB-INF/" + f));
        try (InputStream r = WildFlyLoggingSubsystemTest.class.getResourceAsStream("/wildfly-logging/" + f)) {
          r.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return target;
  }
}
