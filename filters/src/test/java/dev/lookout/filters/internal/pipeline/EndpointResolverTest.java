package dev.lookout.filters.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointResolverTest {

  private final EndpointResolver plain = new EndpointResolver(false, "/metrics", "/health");
  private final EndpointResolver normalising = new EndpointResolver(true, "/metrics", "/health");

  @Test
  void aRouteTemplateWinsOverEverything() {
    assertThat(plain.resolve("/api/orders/{id}", 404, "/api/*", "/api/orders/7")).isEqualTo("/api/orders/{id}");
    assertThat(plain.resolve("/api/orders/{id}", 302, null, null)).isEqualTo("/api/orders/{id}");
  }

  @Test
  void anEmptyOrForeignRouteAttributeIsIgnored() {
    assertThat(plain.resolve("", 200, "/hello", null)).isEqualTo("/hello");
    assertThat(plain.resolve(42, 200, "/hello", null)).isEqualTo("/hello");
  }

  @Test
  void notFoundAndRedirectionsAreFixedValues() {
    assertThat(plain.resolve(null, 404, "/api/*", "/api/nope")).isEqualTo(EndpointResolver.NOT_FOUND);
    assertThat(plain.resolve(null, 301, "/old", null)).isEqualTo(EndpointResolver.REDIRECTION);
    assertThat(plain.resolve(null, 399, "/old", null)).isEqualTo(EndpointResolver.REDIRECTION);
    assertThat(plain.resolve(null, 400, "/old", null)).isEqualTo("/old");
  }

  @Test
  void theMappingPatternElseUnknownNeverTheRawPath() {
    assertThat(plain.resolve(null, 200, "/api/*", "/api/orders/123")).isEqualTo("/api/*");
    assertThat(plain.resolve(null, 200, null, "/api/orders/123")).isEqualTo(EndpointResolver.UNKNOWN);
  }

  @Test
  void theNormaliserReplacesIdsOnlyForWildcardAndDefaultMappings() {
    assertThat(normalising.resolve(null, 200, "/api/*", "/api/orders/123")).isEqualTo("/api/orders/{id}");
    assertThat(normalising.resolve(null, 200, "/", "/users/42")).isEqualTo("/users/{id}");
    assertThat(normalising.resolve(null, 200, null, "/users/42")).isEqualTo("/users/{id}");
    assertThat(normalising.resolve(null, 200, "/exact", "/exact")).isEqualTo("/exact");
    assertThat(normalising.resolve(null, 404, "/api/*", "/api/x")).isEqualTo(EndpointResolver.NOT_FOUND);
  }

  @Test
  void fixedValuesAreNoRoutes() {
    for (String fixed :
        new String[] {EndpointResolver.NOT_FOUND, EndpointResolver.REDIRECTION, EndpointResolver.UNKNOWN, EndpointResolver.OTHER}) {
      assertThat(EndpointResolver.isFixed(fixed)).isTrue();
      assertThat(EndpointResolver.routeOf(fixed)).isNull();
      // equal, not identical, strings are fixed too (a value that went through a copy)
      assertThat(EndpointResolver.isFixed(new String(fixed))).isTrue();
    }
    assertThat(EndpointResolver.routeOf("/api/orders/{id}")).isEqualTo("/api/orders/{id}");
    assertThat(EndpointResolver.routeOf(null)).isNull();
  }

  @Test
  void lookoutsOwnEndpointsAreRecognisedByTheirMapping() {
    assertThat(plain.isLookoutEndpoint("/metrics")).isTrue();
    assertThat(plain.isLookoutEndpoint("/health")).isTrue();
    assertThat(plain.isLookoutEndpoint("/health/*")).isTrue();
    assertThat(plain.isLookoutEndpoint("/api/*")).isFalse();
    assertThat(plain.isLookoutEndpoint(null)).isFalse();
    EndpointResolver off = new EndpointResolver(false, "", "");
    assertThat(off.isLookoutEndpoint("")).isFalse();
    assertThat(off.isLookoutEndpoint("/*")).isFalse();
  }
}
