package dev.lookout.jaxrs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTemplatesTest {

  @Test
  void joinsAndStripsRegexes() {
    assertThat(RouteTemplates.join("/api", List.of("/orders", "{id: [0-9]+}"))).isEqualTo("/api/orders/{id}");
    assertThat(RouteTemplates.join("", List.of("orders/", "/{id:\\d{1,3}}/lines", "{line}"))).isEqualTo("/orders/{id}/lines/{line}");
    assertThat(RouteTemplates.join("/api", List.of("//a//b/"))).isEqualTo("/api/a/b");
    assertThat(RouteTemplates.join("", List.of())).isEqualTo("/");
    assertThat(RouteTemplates.join("/", List.of("/"))).isEqualTo("/");
    assertThat(RouteTemplates.join("", List.of("files/{path: .*}"))).isEqualTo("/files/{path}");
  }
}
