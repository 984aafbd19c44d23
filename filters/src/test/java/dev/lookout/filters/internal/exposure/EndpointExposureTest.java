package dev.lookout.filters.internal.exposure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lookout.filters.internal.config.ConfigurationException;
import dev.lookout.filters.internal.config.LookoutConfig;
import dev.lookout.filters.internal.exposure.EndpointExposure.Caller;
import dev.lookout.filters.internal.exposure.EndpointExposure.Reason;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exposure rules on plain request values, without a container. */
class EndpointExposureTest {

  static final String TOKEN = "s3cret-token-0123456789";

  static EndpointExposure exposure(String... settings) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < settings.length; i += 2) {
      m.put(settings[i], settings[i + 1]);
    }
    return EndpointExposure.from(LookoutConfig.fromMap(m), null);
  }

  static Caller direct(String remote) {
    return new Caller(8080, remote, null, false, null);
  }

  @Test
  void byDefaultDirectRequestsPassAndForwardedOnesAreFromOutside() {
    EndpointExposure e = exposure();
    assertThat(e.check(direct("10.1.2.3"))).isNull();
    assertThat(e.check(direct("203.0.113.9"))).as("a pod IP scraped directly can be anything").isNull();
    assertThat(e.check(new Caller(8080, "10.1.2.3", "203.0.113.9", false, null))).isEqualTo(Reason.FORWARDED);
    // Forwarded, X-Forwarded-Host, X-Real-IP
    assertThat(e.check(new Caller(8080, "10.1.2.3", null, true, null))).isEqualTo(Reason.FORWARDED);
  }

  @Test
  void behindTrustedProxiesOnlyCallsWhoseEveryHopIsTrustedPass() {
    EndpointExposure e = exposure("lookout.access-log.trusted-proxies", "10.0.0.0/8");
    assertThat(e.check(new Caller(8080, "10.0.0.5", "10.9.9.9", false, null))).as("internal call").isNull();
    assertThat(e.check(new Caller(8080, "10.0.0.5", "203.0.113.9, 10.9.9.9", false, null)))
        .as("an internet client behind the ingress")
        .isEqualTo(Reason.FORWARDED);
    assertThat(e.check(new Caller(8080, "198.51.100.1", "10.9.9.9", false, null)))
        .as("a forged header from an untrusted peer")
        .isEqualTo(Reason.FORWARDED);
    assertThat(e.check(new Caller(8080, "10.0.0.5", null, true, null)))
        .as("a trusted proxy that names the client only in Forwarded or X-Real-IP: unknown client")
        .isEqualTo(Reason.FORWARDED);
  }

  @Test
  void theTokenIsRequiredWhenSetAndReplacesTheForwardedGuess() {
    EndpointExposure e = exposure("lookout.endpoints.token", TOKEN);
    assertThat(e.check(direct("127.0.0.1"))).isEqualTo(Reason.TOKEN);
    assertThat(e.check(new Caller(8080, "127.0.0.1", null, false, "Bearer wrong-token-0123456789"))).isEqualTo(Reason.TOKEN);
    assertThat(e.check(new Caller(8080, "127.0.0.1", null, false, "Bearer " + TOKEN))).isNull();
    assertThat(e.check(new Caller(8080, "127.0.0.1", null, false, "bearer  " + TOKEN + " "))).isNull();
    assertThat(e.check(new Caller(8080, "127.0.0.1", null, false, "Basic " + TOKEN))).isEqualTo(Reason.TOKEN);
    assertThat(e.check(new Caller(8080, "127.0.0.1", null, false, TOKEN))).isEqualTo(Reason.TOKEN);
    assertThat(e.check(new Caller(8080, "10.0.0.1", "203.0.113.9", true, "Bearer " + TOKEN))).isNull();
  }

  @Test
  void tokenComparisonSeesOnlyFixedLengthDigests() {
    EndpointExposure e = exposure("lookout.endpoints.token", TOKEN);
    // every candidate, whatever its length, becomes 32 bytes compared with MessageDigest.isEqual
    for (String candidate : new String[] {"", "s", TOKEN.substring(0, TOKEN.length() - 1), TOKEN + "x", "x".repeat(1000)}) {
      assertThat(EndpointExposure.sha256(candidate)).hasSize(32);
      assertThat(e.tokenMatches("Bearer " + candidate)).as(candidate).isFalse();
    }
    char[] oneOff = TOKEN.toCharArray();
    oneOff[oneOff.length - 1]++;
    assertThat(e.tokenMatches("Bearer " + new String(oneOff))).isFalse();
    assertThat(e.tokenMatches("Bearer " + TOKEN)).isTrue();
    assertThat(e.tokenMatches("Bearer " + TOKEN + " ".repeat(2000))).as("oversized header").isFalse();
  }

  @Test
  void aShortOrOddTokenFailsTheDeploymentWithoutShowingIt() {
    for (String bad : new String[] {"short-secret", "has a space in it 0123", "caf\u00e9-0123456789abcdef"}) {
      assertThatThrownBy(() -> exposure("lookout.endpoints.token", bad))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("lookout.endpoints.token")
          .hasMessageContaining("LOOKOUT_ENDPOINTS_TOKEN")
          .hasMessageNotContaining(bad);
    }
  }

  @Test
  void thePortRuleServesOnlyTheManagementConnector() {
    EndpointExposure e = exposure("lookout.endpoints.port", "9090");
    assertThat(e.check(new Caller(9090, "127.0.0.1", null, false, null))).isNull();
    assertThat(e.check(new Caller(8080, "127.0.0.1", null, false, null))).isEqualTo(Reason.PORT);
    assertThatThrownBy(() -> exposure("lookout.endpoints.port", "0")).hasMessageContaining("lookout.endpoints.port");
    assertThatThrownBy(() -> exposure("lookout.endpoints.port", "http")).hasMessageContaining("lookout.endpoints.port");
  }

  @Test
  void theAllowListJudgesTheSocketAddressOrTheClientBehindTrustedProxies() {
    EndpointExposure e =
        exposure(
            "lookout.endpoints.allow", "10.1.0.0/16, 192.0.2.7, fd00:1::/32, ::1",
            "lookout.access-log.trusted-proxies", "127.0.0.1");
    // on the socket's remote address
    assertThat(e.check(direct("10.1.200.3"))).isNull();
    assertThat(e.check(direct("10.2.0.1"))).isEqualTo(Reason.ADDRESS);
    assertThat(e.check(direct("192.0.2.7"))).isNull();
    assertThat(e.check(direct("192.0.2.8"))).isEqualTo(Reason.ADDRESS);
    assertThat(e.check(direct("fd00:1:ffff::5"))).isNull();
    assertThat(e.check(direct("fd00:2::5"))).isEqualTo(Reason.ADDRESS);
    assertThat(e.check(direct("0:0:0:0:0:0:0:1"))).isNull();
    assertThat(e.check(direct("[::1]"))).as("bracketed, as Jetty reports it").isNull();
    assertThat(e.check(direct("127.0.0.1"))).as("the proxy itself is not allowed").isEqualTo(Reason.ADDRESS);
    // on the client address, behind the trusted proxy
    assertThat(e.check(new Caller(8080, "127.0.0.1", "10.1.2.3", false, null))).isNull();
    assertThat(e.check(new Caller(8080, "127.0.0.1", "10.2.2.3", false, null))).isEqualTo(Reason.ADDRESS);
    assertThat(e.check(new Caller(8080, "127.0.0.1", "fd00:1::9", false, null))).isNull();
    assertThat(e.check(new Caller(8080, "127.0.0.1", "fd00:3::9", false, null))).isEqualTo(Reason.ADDRESS);
    // a header from an untrusted peer proves nothing, even naming an allowed address
    assertThat(e.check(new Caller(8080, "10.1.0.1", "10.1.2.3", false, null))).isEqualTo(Reason.FORWARDED);
    assertThatThrownBy(() -> exposure("lookout.endpoints.allow", "10.0.0.0/40"))
        .hasMessageContaining("lookout.endpoints.allow")
        .hasMessageContaining("10.0.0.0/40");
    assertThatThrownBy(() -> exposure("lookout.endpoints.allow", "intranet.example")).hasMessageContaining("lookout.endpoints.allow");
  }

  @Test
  void allRulesTogether() {
    EndpointExposure e =
        exposure("lookout.endpoints.port", "9090", "lookout.endpoints.allow", "10.0.0.0/8", "lookout.endpoints.token", TOKEN);
    assertThat(e.check(new Caller(9090, "10.0.0.1", null, false, "Bearer " + TOKEN))).isNull();
    assertThat(e.check(new Caller(8080, "10.0.0.1", null, false, "Bearer " + TOKEN))).isEqualTo(Reason.PORT);
    assertThat(e.check(new Caller(9090, "11.0.0.1", null, false, "Bearer " + TOKEN))).isEqualTo(Reason.ADDRESS);
    assertThat(e.check(new Caller(9090, "10.0.0.1", null, false, null))).isEqualTo(Reason.TOKEN);
  }

  @Test
  void healthDetailsFollowTheSetting() {
    Caller outside = new Caller(8080, "10.1.2.3", "203.0.113.9", false, null);
    Caller inside = direct("10.1.2.3");
    assertThat(exposure().healthDetails(inside)).isTrue();
    assertThat(exposure().healthDetails(outside)).isFalse();
    assertThat(exposure("lookout.health.details", "never").healthDetails(inside)).isFalse();
    assertThat(exposure("lookout.health.details", "always").healthDetails(outside)).isTrue();
    assertThat(exposure("lookout.health.details", "TRUSTED").healthDetails(outside)).isFalse();
    assertThatThrownBy(() -> exposure("lookout.health.details", "sometimes"))
        .hasMessageContaining("lookout.health.details")
        .hasMessageContaining("never, trusted or always");
  }

  @Test
  void denialsAreCountedByEndpointAndReason() {
    PrometheusRegistry registry = new PrometheusRegistry();
    EndpointExposure e = EndpointExposure.from(LookoutConfig.fromMap(Map.of()), registry);
    e.countDenied(EndpointExposure.Endpoint.METRICS, Reason.FORWARDED);
    e.countDenied(EndpointExposure.Endpoint.METRICS, Reason.FORWARDED);
    e.healthDetails(new Caller(8080, "10.1.2.3", null, true, null));
    assertThat(denied(registry, "metrics", "forwarded")).isEqualTo(2);
    assertThat(denied(registry, "health", "forwarded")).isEqualTo(1);
    assertThat(denied(registry, "metrics", "token")).isEqualTo(0);
    e.close();
    assertThat(registry.scrape().stream().map(s -> s.getMetadata().getName())).doesNotContain("lookout_endpoint_denied");
  }

  static double denied(PrometheusRegistry registry, String endpoint, String reason) {
    for (var snapshot : registry.scrape()) {
      if (snapshot instanceof CounterSnapshot c && c.getMetadata().getName().equals("lookout_endpoint_denied")) {
        for (var p : c.getDataPoints()) {
          if (p.getLabels().equals(Labels.of("endpoint", endpoint, "reason", reason))) {
            return p.getValue();
          }
        }
      }
    }
    return 0;
  }

  @Test
  void scrapeSlotsAreBoundedAndGivenBack() {
    EndpointExposure e = exposure("lookout.metrics.scrape-concurrency", "2", "lookout.metrics.scrape-wait", "0ms");
    assertThat(e.beginScrape()).isTrue();
    assertThat(e.beginScrape()).isTrue();
    assertThat(e.beginScrape()).as("a third at once").isFalse();
    e.endScrape();
    assertThat(e.beginScrape()).isTrue();
    e.endScrape();
    e.endScrape();
    assertThat(e.freeScrapeSlots()).isEqualTo(2);
    assertThatThrownBy(() -> exposure("lookout.metrics.scrape-concurrency", "0")).hasMessageContaining("lookout.metrics.scrape-concurrency");
  }
}
