package dev.lookout.filters.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists every setting of the code, with its default, and nothing else. */
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
      documented.put(name, def);
      assertThat(env).as("environment variable of %s", name).isEqualTo(Setting.environmentVariableOf(name));
    }
    Map<String, String> inCode = new LinkedHashMap<>();
    for (Setting s : Setting.all().values()) {
      inCode.put(s.name(), s.defaultValue());
    }
    assertThat(documented).isEqualTo(inCode);
  }
}
