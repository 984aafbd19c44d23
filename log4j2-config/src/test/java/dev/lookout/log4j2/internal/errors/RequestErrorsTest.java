package dev.lookout.log4j2.internal.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestErrorsTest {

  @Test
  void keepsTheNewestBreadcrumbsInOrder() {
    RequestErrors r = new RequestErrors("r1");
    assertThat(r.crumbs()).isEmpty();
    for (int i = 0; i < 250; i++) {
      r.addCrumb(new RequestErrors.Crumb(i, "INFO", "l", "m" + i));
    }
    List<RequestErrors.Crumb> crumbs = r.crumbs();
    assertThat(crumbs).hasSize(RequestErrors.MAX_BREADCRUMBS);
    assertThat(crumbs.get(0).message()).isEqualTo("m150");
    assertThat(crumbs.get(crumbs.size() - 1).message()).isEqualTo("m249");
  }

  @Test
  void holdsABoundedNumberOfEventsUntilCompletedOnce() {
    RequestErrors r = new RequestErrors("r1");
    for (int i = 0; i < RequestErrors.MAX_PENDING; i++) {
      assertThat(r.hold("e" + i)).isTrue();
    }
    assertThat(r.hold("one too many")).isFalse();
    assertThat(r.complete()).hasSize(RequestErrors.MAX_PENDING);
    assertThat(r.isCompleted()).isTrue();
    assertThat(r.complete()).isEmpty();
    assertThat(r.hold("late")).isFalse();
  }
}
