package dev.lookout.filters.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LookoutConfigTest {

  private static LookoutConfig load(Map<String, String> ctx, Map<String, String> sys, Map<String, String> env) {
    return LookoutConfig.load(ctx::get, ctx.keySet(), sys, env);
  }

  @Test
  void environmentBeatsSystemPropertyBeatsContextParameter() {
    Map<String, String> ctx = Map.of("lookout.metrics.path", "/ctx");
    assertThat(load(ctx, Map.of(), Map.of()).get(Settings.METRICS_PATH)).isEqualTo("/ctx");
    assertThat(load(ctx, Map.of("lookout.metrics.path", "/sys"), Map.of()).get(Settings.METRICS_PATH))
        .isEqualTo("/sys");
    assertThat(
            load(ctx, Map.of("lookout.metrics.path", "/sys"), Map.of("LOOKOUT_METRICS_PATH", "/env"))
                .get(Settings.METRICS_PATH))
        .isEqualTo("/env");
    assertThat(load(Map.of(), Map.of(), Map.of()).get(Settings.METRICS_PATH)).isEqualTo("/metrics");
  }

  @Test
  void environmentNamesFollowOneRule() {
    assertThat(Settings.METRICS_ENDPOINT_LIMIT.environmentVariable()).isEqualTo("LOOKOUT_METRICS_ENDPOINT_LIMIT");
    assertThat(Settings.ACCESS_LOG_TRUSTED_PROXIES.environmentVariable())
        .isEqualTo("LOOKOUT_ACCESS_LOG_TRUSTED_PROXIES");
  }

  @Test
  void unknownSettingsFailNamingThem() {
    assertThatThrownBy(() -> load(Map.of("lookout.metrics.pth", "/x"), Map.of(), Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("context parameter 'lookout.metrics.pth'")
        .hasMessageContaining("lookout.metrics.path");
    assertThatThrownBy(() -> load(Map.of(), Map.of("lookout.helth.enabled", "x"), Map.of()))
        .hasMessageContaining("system property 'lookout.helth.enabled'");
    assertThatThrownBy(() -> load(Map.of(), Map.of(), Map.of("LOOKOUT_METRICS_PTH", "x")))
        .hasMessageContaining("environment variable 'LOOKOUT_METRICS_PTH'");
  }

  @Test
  void badValuesFailNamingTheSettingAndWhatIsExpected() {
    LookoutConfig c =
        load(
            Map.of(
                "lookout.metrics.enabled", "yes",
                "lookout.metrics.endpoint-limit", "0",
                "lookout.health.timeout", "2 parsecs",
                "lookout.metrics.path", "metrics/"),
            Map.of(),
            Map.of());
    assertThatThrownBy(() -> c.getBoolean(Settings.METRICS_ENABLED))
        .hasMessage(
            "Invalid Lookout setting lookout.metrics.enabled (or LOOKOUT_METRICS_ENABLED) = 'yes': expected true or false");
    assertThatThrownBy(() -> c.getInt(Settings.METRICS_ENDPOINT_LIMIT, 1, 10_000))
        .hasMessageContaining("lookout.metrics.endpoint-limit")
        .hasMessageContaining("from 1 to 10000");
    assertThatThrownBy(() -> c.getDuration(Settings.HEALTH_TIMEOUT)).hasMessageContaining("lookout.health.timeout");
    assertThatThrownBy(() -> c.getPath(Settings.METRICS_PATH)).hasMessageContaining("lookout.metrics.path");
  }

  @Test
  void parsesDurationsAndLists() {
    LookoutConfig c =
        load(
            Map.of("lookout.health.timeout", "1500ms", "lookout.health.cache-ttl", "3s", "lookout.access-log.trusted-proxies", " 10.0.0.1 , ,::1"),
            Map.of(),
            Map.of());
    assertThat(c.getDuration(Settings.HEALTH_TIMEOUT)).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.getDuration(Settings.HEALTH_CACHE_TTL)).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.getList(Settings.ACCESS_LOG_TRUSTED_PROXIES)).isEqualTo(List.of("10.0.0.1", "::1"));
  }
}
