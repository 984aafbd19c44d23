package dev.lookout.filters.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LookoutSettingsTest {

  @Test
  void defaultsFromAnEmptyMap() {
    LookoutSettings s = LookoutSettings.fromMap(Map.of());
    assertThat(s.enabled).isTrue();
    assertThat(s.requestIdHeader).isEqualTo("X-Request-ID");
    assertThat(s.correlationIdHeader).isEqualTo("X-Correlation-ID");
    assertThat(s.metricsPath).isEqualTo("/metrics");
    assertThat(s.healthPath).isEqualTo("/health");
    assertThat(s.healthTimeout).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.endpointLimit).isEqualTo(100);
    assertThat(s.durationBuckets()).startsWith(0.005).endsWith(10.0);
    assertThat(s.forceLogHeader).isNull();
    assertThat(s.accessLogIncludeLookoutEndpoints).isFalse();
    assertThat(s.logSettings).containsEntry("lookout.log.format", "json").containsEntry("lookout.log.level", "INFO");
    assertThat(Setting.all().keySet()).containsAll(s.logSettings.keySet());
    assertThat(s.logSettings.keySet()).filteredOn(k -> k.startsWith("lookout.log.")).hasSizeGreaterThan(10);
  }

  @Test
  void switchedOffFeaturesServeNoPath() {
    LookoutSettings s = LookoutSettings.fromMap(Map.of("lookout.metrics.enabled", "false", "lookout.health.enabled", "false"));
    assertThat(s.metricsPath).isEmpty();
    assertThat(s.jvmMetrics).isFalse();
    assertThat(s.healthPath).isEmpty();
  }

  @Test
  void everyBadValueFailsNamingItsSetting() {
    assertThatThrownBy(() -> LookoutSettings.fromMap(Map.of("lookout.request-id.header", "X Request")))
        .hasMessageContaining("lookout.request-id.header").hasMessageContaining("LOOKOUT_REQUEST_ID_HEADER");
    assertThatThrownBy(() -> LookoutSettings.fromMap(Map.of("lookout.metrics.duration-buckets", "1,0.5")))
        .hasMessageContaining("lookout.metrics.duration-buckets");
    assertThatThrownBy(() -> LookoutSettings.fromMap(Map.of("lookout.health.timeout", "0ms")))
        .hasMessageContaining("lookout.health.timeout");
    assertThatThrownBy(() -> LookoutSettings.fromMap(Map.of("lookout.log.force-header", "X-Debug", "lookout.log.force-token", "short")))
        .hasMessageContaining("lookout.log.force-token").hasMessageNotContaining("short");
    assertThatThrownBy(() -> LookoutSettings.fromMap(Map.of("lookout.log.format", "xml")))
        .hasMessageContaining("lookout.log.format");
    assertThatThrownBy(() -> LookoutSettings.fromMap(Map.of("lookout.log.level", "LOUD")))
        .hasMessageContaining("lookout.log.level");
    assertThatThrownBy(() -> LookoutSettings.fromMap(Map.of("lookout.metrics.enabled", "yes")))
        .hasMessageContaining("lookout.metrics.enabled");
  }

  @Test
  void precedenceIsContextParameterThenSystemPropertyThenEnvironment() {
    LookoutConfig c =
        LookoutConfig.load(
            Map.of("lookout.metrics.path", "/from-context", "lookout.health.path", "/h-context", "lookout.service.name", "ctx")::get,
            java.util.List.of("lookout.metrics.path", "lookout.health.path", "lookout.service.name"),
            Map.of("lookout.metrics.path", "/from-property", "lookout.health.path", "/h-property"),
            Map.of("LOOKOUT_METRICS_PATH", "/from-env"));
    LookoutSettings s = LookoutSettings.from(c);
    assertThat(s.metricsPath).isEqualTo("/from-env");
    assertThat(s.healthPath).isEqualTo("/h-property");
    assertThat(s.serviceName).isEqualTo("ctx");
  }

  @Test
  void includingLookoutsOwnEndpointsInTheAccessLogIsASetting() {
    assertThat(LookoutSettings.fromMap(Map.of("lookout.access-log.include-lookout-endpoints", "true")).accessLogIncludeLookoutEndpoints)
        .isTrue();
  }
}
