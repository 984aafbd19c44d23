package dev.lookout.filters.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void acceptsOnlyShortIdsOfSafeCharacters() {
    assertThat(RequestIds.isValid("abc-123")).isTrue();
    assertThat(RequestIds.isValid("A.b_c:d-9")).isTrue();
    assertThat(RequestIds.isValid("x".repeat(128))).isTrue();
    assertThat(RequestIds.isValid("x".repeat(129))).isFalse();
    assertThat(RequestIds.isValid("")).isFalse();
    assertThat(RequestIds.isValid("abc\r\nSet-Cookie: x=1")).isFalse();
    assertThat(RequestIds.isValid("<script>")).isFalse();
    assertThat(RequestIds.isValid("ünïcode")).isFalse();
    assertThat(RequestIds.isValid("a b")).isFalse();
    assertThat(RequestIds.isValid("a/b")).isFalse();
  }

  @Test
  void generatesDistinct128BitHexIds() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = RequestIds.generate();
      assertThat(id).hasSize(32).matches("[0-9a-f]{32}");
      assertThat(seen.add(id)).as("duplicate id %s", id).isTrue();
    }
  }

  @Test
  void usesEveryHexDigitInEveryPosition() {
    // a wrong shift or table index would leave some positions constant
    boolean[][] seen = new boolean[32][16];
    for (int i = 0; i < 20_000; i++) {
      String id = RequestIds.generate();
      for (int p = 0; p < 32; p++) {
        seen[p][Character.digit(id.charAt(p), 16)] = true;
      }
    }
    for (int p = 0; p < 32; p++) {
      for (int d = 0; d < 16; d++) {
        assertThat(seen[p][d]).as("digit %x at position %d", d, p).isTrue();
      }
    }
  }
}
