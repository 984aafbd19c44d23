package dev.lookout.filters.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.filters.OutboundHeaders;
import dev.lookout.filters.internal.TestAppHandle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.Test;

class TracingOffTest {

  @Test
  void switchedOffThereAreNoSpansAndIdsAreRandom() throws Exception {
    try (TestAppHandle app = TestAppHandle.start(Map.of("lookout.tracing.enabled", "false"))) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(app.base() + "/hello"))
                      .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).as("no current span in the application").isEqualTo("00000000000000000000000000000000");
      assertThat(r.headers().firstValue("X-Request-ID").orElseThrow())
          .matches("[0-9a-f]{32}")
          .isNotEqualTo("0af7651916cd43dd8448eb211c80319c");
    }
  }

  @Test
  void outboundHeadersCarryTheIdsOfTheCurrentRequest() {
    ThreadContext.put("request_id", "req-1");
    ThreadContext.put("correlation_id", "corr-1");
    try {
      Map<String, String> headers = new HashMap<>();
      OutboundHeaders.forEach(headers::put);
      assertThat(headers).containsEntry("X-Request-ID", "req-1").containsEntry("X-Correlation-ID", "corr-1");
      HttpRequest built = OutboundHeaders.addTo(HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/"))).build();
      assertThat(built.headers().firstValue("X-Request-ID")).hasValue("req-1");
    } finally {
      ThreadContext.clearMap();
    }
  }
}
