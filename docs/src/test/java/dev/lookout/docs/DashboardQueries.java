package dev.lookout.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every PromQL expression of a Grafana dashboard — panel targets and template variables
 * ({@code label_values(selector, label)} gives its selector) — with Grafana's variables replaced by
 * concrete values, ready for promtool or a Prometheus query. Reused by the real-Prometheus test in
 * jetty-it, which reads the same file.
 */
public final class DashboardQueries {

  private DashboardQueries() {}

  public static List<String> extract(Path dashboard) throws IOException {
    JsonNode root = new ObjectMapper().readTree(dashboard.toFile());
    List<String> out = new ArrayList<>();
    OpsAssetsTest.walk(root.path("panels"), n -> {
      if (n.isObject() && n.has("expr") && n.path("expr").isTextual()) {
        out.add(substitute(n.path("expr").asText()));
      }
    });
    for (JsonNode v : root.path("templating").path("list")) {
      String q = v.path("query").isObject() ? v.path("query").path("query").asText() : v.path("query").asText();
      if (q.startsWith("label_values(")) {
        String inner = q.substring("label_values(".length(), q.lastIndexOf(','));
        out.add(substitute(inner.trim()));
      }
    }
    return out;
  }

  static String substitute(String expr) {
    return expr.replace("$__rate_interval", "1m")
        .replace("$__interval", "1m")
        .replace("$job", ".*")
        .replace("$instance", ".*")
        .replace("$service", ".*");
  }
}
