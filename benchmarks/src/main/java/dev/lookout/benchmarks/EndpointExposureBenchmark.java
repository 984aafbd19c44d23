package dev.lookout.benchmarks;

import dev.lookout.filters.internal.config.LookoutConfig;
import dev.lookout.filters.internal.exposure.EndpointExposure;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The exposure decision a request to {@code /metrics} or {@code /health} pays (application
 * requests never do): the default rule, a forwarded request, the token (a SHA-256 of the
 * presented value), an allow-list behind a trusted proxy.
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class EndpointExposureBenchmark {

  static final String TOKEN = "benchmark-token-0123456789abcdef";

  final EndpointExposure defaults = EndpointExposure.from(LookoutConfig.fromMap(Map.of()), null);
  final EndpointExposure token = EndpointExposure.from(LookoutConfig.fromMap(Map.of("lookout.endpoints.token", TOKEN)), null);
  final EndpointExposure allow =
      EndpointExposure.from(
          LookoutConfig.fromMap(
              Map.of(
                  "lookout.endpoints.allow", "10.1.0.0/16,fd00:1::/32",
                  "lookout.access-log.trusted-proxies", "10.0.0.0/24")),
          null);

  final EndpointExposure.Caller direct = new EndpointExposure.Caller(8080, "10.1.2.3", null, false, null);
  final EndpointExposure.Caller forwarded = new EndpointExposure.Caller(8080, "10.1.2.3", "203.0.113.9", false, null);
  final EndpointExposure.Caller withToken = new EndpointExposure.Caller(8080, "10.1.2.3", null, false, "Bearer " + TOKEN);
  final EndpointExposure.Caller behindProxy = new EndpointExposure.Caller(8080, "10.0.0.5", "203.0.113.9, fd00:1::7", false, null);

  @Benchmark
  public Object defaultRuleDirect() {
    return defaults.check(direct);
  }

  @Benchmark
  public Object defaultRuleForwarded() {
    return defaults.check(forwarded);
  }

  @Benchmark
  public Object tokenRight() {
    return token.check(withToken);
  }

  @Benchmark
  public Object allowListBehindTrustedProxy() {
    return allow.check(behindProxy);
  }
}
