package dev.lookout.jaxrs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.net.InetSocketAddress;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.Test;

class SwitchTest {

  @Test
  void onByDefaultOffWhenAsked() {
    assertThat(Switch.enabled(null)).isTrue();
    assertThat(Switch.enabled("true")).isTrue();
    assertThat(Switch.enabled("false")).isFalse();
    assertThat(Switch.enabled(" FALSE ")).isFalse();
  }

  @Test
  void clientsGetLookoutWithoutCodeUnlessTheyOptOut() throws Exception {
    HttpServer callee = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    callee.createContext("/", exchange -> {
      byte[] body = String.valueOf(exchange.getRequestHeaders().getFirst("X-Request-ID")).getBytes();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    callee.start();
    String url = "http://127.0.0.1:" + callee.getAddress().getPort() + "/";
    ThreadContext.put("request_id", "req-77");
    Client auto = ClientBuilder.newClient(); // Jersey auto-discovery, no registration
    Client optedOut = ClientBuilder.newBuilder().property(Switch.SETTING, "false").build();
    try {
      assertThat(auto.target(url).request().get(String.class)).isEqualTo("req-77");
      assertThat(optedOut.target(url).request().get(String.class)).isEqualTo("null");
    } finally {
      ThreadContext.clearMap();
      auto.close();
      optedOut.close();
      callee.stop(0);
    }
  }
}
