package dev.lookout.filters.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathNormalizerTest {

  @Test
  void replacesIdentifierSegments() {
    assertThat(PathNormalizer.normalize("/users/123")).isEqualTo("/users/{id}");
    assertThat(PathNormalizer.normalize("/users/123/orders/456/")).isEqualTo("/users/{id}/orders/{id}/");
    assertThat(PathNormalizer.normalize("/o/3f2504e0-4f89-11d3-9a0c-0305e82c3301"))
        .isEqualTo("/o/{id}");
    assertThat(PathNormalizer.normalize("/blob/0123456789abcdef0123")).isEqualTo("/blob/{id}");
    assertThat(PathNormalizer.normalize("/k/AbCdEfGhIjKlMnOpQrSt12")).isEqualTo("/k/{id}");
  }

  @Test
  void keepsWords() {
    assertThat(PathNormalizer.normalize("/users/me")).isEqualTo("/users/me");
    assertThat(PathNormalizer.normalize("/api/v2/orders")).isEqualTo("/api/v2/orders");
    assertThat(PathNormalizer.normalize("/deadbeef")).isEqualTo("/deadbeef");
    assertThat(PathNormalizer.normalize("")).isEqualTo("/");
    assertThat(PathNormalizer.normalize("/")).isEqualTo("/");
  }
}
