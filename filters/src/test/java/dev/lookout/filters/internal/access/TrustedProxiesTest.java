package dev.lookout.filters.internal.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lookout.filters.internal.config.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

  @Test
  void believesForwardedForOnlyFromTrustedProxies() {
    TrustedProxies p = new TrustedProxies(List.of("10.0.0.0/8", "::1"), "s");
    assertThat(p.clientAddress("10.1.2.3", "203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(p.clientAddress("198.51.100.1", "203.0.113.7")).isEqualTo("198.51.100.1");
    // right-most untrusted entry wins: the client cannot forge what the proxy appended
    assertThat(p.clientAddress("10.1.2.3", "1.1.1.1, 203.0.113.7, 10.9.9.9")).isEqualTo("203.0.113.7");
    assertThat(p.clientAddress("0:0:0:0:0:0:0:1", "2001:db8::1")).isEqualTo("2001:db8::1");
    assertThat(p.clientAddress("10.1.2.3", "evil.example.com")).isEqualTo("10.1.2.3");
    assertThat(p.clientAddress("10.1.2.3", null)).isEqualTo("10.1.2.3");
  }

  @Test
  void noProxiesMeansThePeerAddress() {
    TrustedProxies p = new TrustedProxies(List.of(), "s");
    assertThat(p.clientAddress("10.1.2.3", "203.0.113.7")).isEqualTo("10.1.2.3");
  }

  @Test
  void parsesLiteralsWithoutLookups() {
    assertThat(TrustedProxies.parseLiteral("192.168.0.1")).containsExactly(192, 168, 0, 1);
    assertThat(TrustedProxies.parseLiteral("256.1.1.1")).isNull();
    assertThat(TrustedProxies.parseLiteral("1.2.3")).isNull();
    assertThat(TrustedProxies.parseLiteral("localhost")).isNull();
    assertThat(TrustedProxies.parseLiteral("cafe.be")).isNull();
    assertThat(TrustedProxies.parseLiteral("::1")).hasSize(16);
  }

  @Test
  void rejectsBadRangesNamingTheSetting() {
    assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33"), "lookout.access-log.trusted-proxies"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("lookout.access-log.trusted-proxies")
        .hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> new TrustedProxies(List.of("proxy.local"), "x"))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void readsIpv6AsContainersReportIt() {
    assertThat(TrustedProxies.parseLiteral("[::1]")).hasSize(16);
    assertThat(TrustedProxies.parseLiteral("fe80::1%eth0")).hasSize(16);
    assertThat(TrustedProxies.parseLiteral("[fe80::1%25eth0]")).hasSize(16);
    assertThat(TrustedProxies.parseLiteral("::ffff:10.1.2.3")).containsExactly(10, 1, 2, 3);
    assertThat(TrustedProxies.parseLiteral("[::1")).isNull();
    TrustedProxies p = new TrustedProxies(List.of("::1"), "s");
    assertThat(p.clientAddress("[::1]", "203.0.113.7")).isEqualTo("203.0.113.7");
  }
}
