package dev.lookout.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lookout.filters.internal.config.ConfigurationException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table label cap, and bad settings that stop the deployment naming themselves. */
class LimitsAndSettingsTest {

  @Test
  void tablesPastTheLimitBecomeOtherAndAreCounted() throws Exception {
    try (DbTestApp app = DbTestApp.start("limits", Map.of("lookout.db.table-limit", "1"))) {
      try (Connection c = app.dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE first_table (id INT)");
        s.execute("CREATE TABLE second_table (id INT)");
        s.executeQuery("SELECT * FROM first_table").close();
        s.executeQuery("SELECT * FROM second_table").close();
        s.executeQuery("SELECT * FROM second_table").close();
      }
      String metrics = app.metrics();
      assertThat(metrics)
          .contains("db_queries_total{operation=\"CREATE\",outcome=\"ok\",table=\"first_table\"} 1.0")
          .contains("db_queries_total{operation=\"CREATE\",outcome=\"ok\",table=\"OTHER\"} 1.0")
          .contains("db_queries_total{operation=\"SELECT\",outcome=\"ok\",table=\"first_table\"} 1.0")
          .contains("db_queries_total{operation=\"SELECT\",outcome=\"ok\",table=\"OTHER\"} 2.0")
          .doesNotContain("second_table")
          .contains("lookout_db_table_overflow_total 2.0");
    }
  }

  @Test
  void aBadValueFailsNamingTheSetting() {
    assertThatThrownBy(
            () ->
                dev.lookout.jdbc.internal.DbSettingsAccess.parse(
                    dev.lookout.filters.internal.config.LookoutConfig.fromMap(Map.of("lookout.db.slow-threshold", "fast"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("lookout.db.slow-threshold (or LOOKOUT_DB_SLOW_THRESHOLD) = 'fast'");
    assertThatThrownBy(
            () ->
                dev.lookout.jdbc.internal.DbSettingsAccess.parse(
                    dev.lookout.filters.internal.config.LookoutConfig.fromMap(Map.of("lookout.db.table-limit", "0"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("lookout.db.table-limit");
  }
}
