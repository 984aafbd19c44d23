package dev.lookout.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The ops assets in docs/ are valid for the real tools and use only metrics Lookout emits. */
class OpsAssetsTest {

  static final Path DOCS = Path.of("").toAbsolutePath();
  static final Path PROMETHEUS = DOCS.resolve("prometheus");
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void rulesAreValid() throws Exception {
    String out = Tools.run(PROMETHEUS, Tools.find("promtool", "prometheus"), "check", "rules", "lookout-rules.yml");
    assertThat(out).contains("SUCCESS");
  }

  @Test
  void everyAlertHasUnitTestsThatPass() throws Exception {
    String out = Tools.run(PROMETHEUS, Tools.find("promtool", "prometheus"), "test", "rules", "lookout-rules.test.yml");
    assertThat(out).contains("SUCCESS");
    // every alert appears in a firing case and in a silent case
    JsonNode rules = YAML.readTree(PROMETHEUS.resolve("lookout-rules.yml").toFile());
    JsonNode tests = YAML.readTree(PROMETHEUS.resolve("lookout-rules.test.yml").toFile());
    Set<String> fires = new TreeSet<>();
    Set<String> silent = new TreeSet<>();
    for (JsonNode t : tests.path("tests")) {
      for (JsonNode a : t.path("alert_rule_test")) {
        (a.path("exp_alerts").isEmpty() ? silent : fires).add(a.path("alertname").asText());
      }
    }
    for (JsonNode g : rules.path("groups")) {
      for (JsonNode r : g.path("rules")) {
        if (r.has("alert")) {
          assertThat(fires).as("a test where %s fires", r.path("alert").asText()).contains(r.path("alert").asText());
          assertThat(silent).as("a test where %s stays silent", r.path("alert").asText()).contains(r.path("alert").asText());
        }
      }
    }
  }

  @Test
  void scrapeConfigIsValid() throws Exception {
    Tools.run(PROMETHEUS, Tools.find("promtool", "prometheus"), "check", "config", "prometheus.yml");
  }

  @Test
  void alertmanagerRoutesCriticalToThePagerAndWarningsToTickets() throws Exception {
    String amtool = Tools.find("amtool", "prometheus-alertmanager");
    Path dir = DOCS.resolve("alertmanager");
    Tools.run(dir, amtool, "check-config", "alertmanager.yml");
    assertThat(Tools.run(dir, amtool, "config", "routes", "test", "--config.file=alertmanager.yml", "severity=critical", "job=orders"))
        .contains("pager");
    assertThat(Tools.run(dir, amtool, "config", "routes", "test", "--config.file=alertmanager.yml", "severity=warning", "job=orders"))
        .contains("tickets");
  }

  @Test
  void everyDashboardExpressionParses() throws Exception {
    List<String> queries = DashboardQueries.extract(DOCS.resolve("grafana/lookout-dashboard.json"));
    assertThat(queries).hasSizeGreaterThan(20);
    Path target = DOCS.resolve("target");
    Files.createDirectories(target);
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < queries.size(); i++) {
      rules.append("      - record: dashboard:query_").append(i).append('\n');
      rules.append("        expr: ").append(JSON.writeValueAsString(queries.get(i))).append('\n');
    }
    Files.writeString(target.resolve("dashboard-queries.rules.yml"), rules);
    Files.write(target.resolve("dashboard-queries.txt"), queries);
    String out = Tools.run(target, Tools.find("promtool", "prometheus"), "check", "rules", "dashboard-queries.rules.yml");
    assertThat(out).contains("SUCCESS: " + queries.size() + " rules found");
  }

  @Test
  void dashboardAndRulesUseOnlyMetricsLookoutEmits() throws Exception {
    Set<String> known = knownMetrics();
    List<String> expressions = new ArrayList<>(DashboardQueries.extract(DOCS.resolve("grafana/lookout-dashboard.json")));
    JsonNode rules = YAML.readTree(PROMETHEUS.resolve("lookout-rules.yml").toFile());
    for (JsonNode g : rules.path("groups")) {
      for (JsonNode r : g.path("rules")) {
        expressions.add(r.path("expr").asText());
      }
    }
    Pattern metric = Pattern.compile("\\b((?:http|jvm|process|lookout|log_events|app|db)_[a-z0-9_]+)\\b(?!\\s*\\()");
    Set<String> used = new TreeSet<>();
    for (String e : expressions) {
      Matcher m = metric.matcher(e);
      while (m.find()) {
        used.add(m.group(1).replaceAll("_(bucket|count|sum)$", ""));
      }
    }
    assertThat(used).isNotEmpty();
    for (String u : used) {
      assertThat(known).as("metric %s is in docs/contracts.md", u).contains(u);
    }
  }

  /** The metric names listed in docs/contracts.md (both the table and the JVM line). */
  static Set<String> knownMetrics() throws Exception {
    Set<String> known = new TreeSet<>();
    Matcher m = Pattern.compile("`([a-z_]+)`").matcher(Files.readString(DOCS.resolve("contracts.md")));
    while (m.find()) {
      known.add(m.group(1));
    }
    return known;
  }

  @Test
  void logPipelinesKeepIdentifiersOutOfLabels() throws Exception {
    JsonNode promtail = YAML.readTree(DOCS.resolve("logs/promtail.yml").toFile());
    JsonNode stages = promtail.path("scrape_configs").get(0).path("pipeline_stages");
    Set<String> labels = new TreeSet<>();
    Set<String> metadata = new TreeSet<>();
    for (JsonNode s : stages) {
      s.path("labels").fieldNames().forEachRemaining(labels::add);
      s.path("structured_metadata").fieldNames().forEachRemaining(metadata::add);
    }
    assertThat(labels).containsExactlyInAnyOrder("level", "service_name");
    assertThat(metadata).contains("request_id", "trace_id", "span_id");
    String alloy = Files.readString(DOCS.resolve("logs/alloy.alloy"));
    assertThat(alloy).contains("stage.structured_metadata").contains("request_id").contains("trace_id");
    assertThat(alloy.substring(alloy.indexOf("stage.labels"), alloy.indexOf("stage.structured_metadata")))
        .doesNotContain("request_id")
        .doesNotContain("trace_id");
    JsonNode ds = YAML.readTree(DOCS.resolve("grafana/provisioning/datasources/lookout.yml").toFile());
    Map<String, JsonNode> byUid = new java.util.HashMap<>();
    for (JsonNode d : ds.path("datasources")) {
      byUid.put(d.path("uid").asText(), d);
    }
    assertThat(byUid.get("prometheus").path("jsonData").path("exemplarTraceIdDestinations").get(0).path("name").asText())
        .isEqualTo("trace_id");
    assertThat(byUid.get("loki").path("jsonData").path("derivedFields").get(0).path("datasourceUid").asText()).isEqualTo("tempo");
    assertThat(byUid.get("tempo").path("jsonData").path("tracesToLogsV2").path("datasourceUid").asText()).isEqualTo("loki");
  }

  /** Walks a JSON tree. */
  static void walk(JsonNode n, java.util.function.Consumer<JsonNode> visit) {
    visit.accept(n);
    for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
      walk(it.next(), visit);
    }
  }
}
