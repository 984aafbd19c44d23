package dev.lookout.filters.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestIdPolicyTest {

  private final AtomicInteger rejectedRequestIds = new AtomicInteger();
  private final AtomicInteger rejectedCorrelationIds = new AtomicInteger();
  private final RequestIdPolicy policy =
      new RequestIdPolicy(
          new RequestIdPolicy.Rejections() {
            @Override
            public void requestIdRejected() {
              rejectedRequestIds.incrementAndGet();
            }

            @Override
            public void correlationIdRejected() {
              rejectedCorrelationIds.incrementAndGet();
            }
          });

  @Test
  void aSafeIncomingIdIsKept() {
    assertThat(policy.requestId("req-42.a:b_c", "0af7651916cd43dd8448eb211c80319c")).isEqualTo("req-42.a:b_c");
    assertThat(rejectedRequestIds).hasValue(0);
  }

  @Test
  void withoutAnIdTheTraceIdFindsLogsAndTraceAlike() {
    assertThat(policy.requestId(null, "0af7651916cd43dd8448eb211c80319c")).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(rejectedRequestIds).hasValue(0);
  }

  @Test
  void withoutTraceAGeneratedIdOf32Hex() {
    String id = policy.requestId(null, null);
    assertThat(id).hasSize(32).matches("[0-9a-f]{32}");
    assertThat(policy.requestId(null, null)).isNotEqualTo(id);
  }

  @Test
  void hostileIdsAreReplacedAndCounted() {
    for (String hostile : new String[] {"a\r\nb", "<script>", "x".repeat(129), "", "ünïcode", "a b"}) {
      String id = policy.requestId(hostile, null);
      assertThat(id).isNotEqualTo(hostile).matches("[0-9a-f]{32}");
    }
    assertThat(rejectedRequestIds).hasValue(6);
  }

  @Test
  void theCorrelationIdDefaultsToTheRequestId() {
    assertThat(policy.correlationId(null, "req-1")).isEqualTo("req-1");
    assertThat(policy.correlationId("corr-7", "req-1")).isEqualTo("corr-7");
    assertThat(policy.correlationId("bad\nid", "req-1")).isEqualTo("req-1");
    assertThat(rejectedCorrelationIds).hasValue(1);
    assertThat(rejectedRequestIds).hasValue(0);
  }
}
