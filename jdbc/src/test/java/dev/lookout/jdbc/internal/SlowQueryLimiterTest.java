package dev.lookout.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SlowQueryLimiterTest {

  @Test
  void atMostNPerMinuteAndTheNextLineSaysHowManyWereLeftOut() {
    AtomicLong now = new AtomicLong(0);
    SlowQueryLimiter limiter = new SlowQueryLimiter(2, now::get);
    assertThat(limiter.tryAcquire()).isEqualTo(0);
    assertThat(limiter.tryAcquire()).isEqualTo(0);
    assertThat(limiter.tryAcquire()).isEqualTo(-1);
    assertThat(limiter.tryAcquire()).isEqualTo(-1);
    now.set(60_000_000_000L); // the next minute
    assertThat(limiter.tryAcquire()).isEqualTo(2);
    assertThat(limiter.tryAcquire()).isEqualTo(0);
    assertThat(limiter.tryAcquire()).isEqualTo(-1);
  }

  @Test
  void zeroLogsNothing() {
    SlowQueryLimiter limiter = new SlowQueryLimiter(0, () -> 0);
    assertThat(limiter.tryAcquire()).isEqualTo(-1);
  }
}
