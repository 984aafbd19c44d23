package dev.lookout.filters.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every setting of the code, with its environment variable, default
 * and meaning, and nothing else.
 */
class ConfigurationDocTest {

  @Test
  void documentedSettingsMatchTheCode() throws Exception {
    Path doc = Path.of("..", "docs", "configuration.md");
    Map<String, String> documented = new LinkedHashMap<>();
    for (String line : Files.readAllLines(doc)) {
      if (!line.startsWith("| `lookout.")) {
        continue;
      }
      String[] cells = line.split("\\|");
      String name = cells[1].trim().replace("`", "");
      String env = cells[2].trim().replace("`", "");
      String def = cells[3].trim();
      def = def.equals("(empty)") ? "" : def.replace("`", "");
      String meaning = line.substring(line.indexOf('|', line.indexOf(cells[3]) + cells[3].length()) + 1).trim();
      meaning = meaning.endsWith("|") ? meaning.substring(0, meaning.length() - 1).trim() : meaning;
      documented.put(name, def + " — " + meaning);
      assertThat(env).as("environment variable of %s", name).isEqualTo(Setting.environmentVariableOf(name));
    }
    Map<String, String> inCode = new LinkedHashMap<>();
    StringBuilder table = new StringBuilder();
    for (Setting s : Setting.all().values()) {
      inCode.put(s.name(), s.defaultValue() + " — " + s.description());
      table.append("| `").append(s.name()).append("` | `").append(s.environmentVariable()).append("` | ")
          .append(s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`").append(" | ")
          .append(s.description()).append(" |\n");
    }
    assertThat(documented).as("the table docs/configuration.md should have:%n%s", table).isEqualTo(inCode);
  }
}
