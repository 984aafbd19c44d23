package dev.lookout.example;

import dev.lookout.filters.health.HealthCheck;
import dev.lookout.filters.health.HealthCheckResult;

/**
 * Readiness of a (pretend) payment provider. Set {@code -Dexample.payments.hang=true} to make it
 * hang for 60 s, as a dead dependency would: Lookout must still answer {@code /health/ready} with
 * 503 within its timeout.
 */
public class PaymentsHealthCheck implements HealthCheck {
  @Override
  public String name() {
    return "payments";
  }

  @Override
  public HealthCheckResult check() throws Exception {
    if (Boolean.getBoolean("example.payments.hang")) {
      Thread.sleep(60_000);
    }
    return HealthCheckResult.up().withData("provider", "pretend-pay");
  }
}
