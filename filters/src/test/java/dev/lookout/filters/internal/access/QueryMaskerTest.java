package dev.lookout.filters.internal.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryMaskerTest {

  private final QueryMasker masker = new QueryMasker(List.of("password", "token", "secret", "apikey"));

  @Test
  void masksSensitiveValuesWhateverTheSpelling() {
    assertThat(masker.mask("a=1&password=hunter2&b=2")).isEqualTo("a=1&password=[REDACTED]&b=2");
    assertThat(masker.mask("access_token=abc")).isEqualTo("access_token=[REDACTED]");
    assertThat(masker.mask("X-Api-Key=abc&API_KEY=def")).isEqualTo("X-Api-Key=[REDACTED]&API_KEY=[REDACTED]");
    assertThat(masker.mask("client.secret=s")).isEqualTo("client.secret=[REDACTED]");
    assertThat(masker.mask("api%5Fkey=s")).isEqualTo("api%5Fkey=[REDACTED]");
    assertThat(masker.mask("token=a&token=b")).isEqualTo("token=[REDACTED]&token=[REDACTED]");
  }

  @Test
  void leavesOtherQueriesUntouched() {
    String q = "page=2&sort=name&flag";
    assertThat(masker.mask(q)).isSameAs(q);
    assertThat(masker.mask(null)).isNull();
    assertThat(masker.mask("")).isEmpty();
    assertThat(masker.mask("&&=x&")).isEqualTo("&&=x&");
  }
}
