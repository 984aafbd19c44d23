package dev.lookout.filters.internal.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogContextTest {

  @AfterEach
  void clear() {
    ThreadContext.clearAll();
  }

  @Test
  void putsTheRequestKeysAndRestoresWhatWasThereBefore() {
    ThreadContext.put("job", "nightly");
    ThreadContext.push("outer");
    LogContext.Saved saved = LogContext.save(true);
    LogContext.put("req-1", "corr-1", "trace-1", "span-1", "01", true);
    ThreadContext.put("app_key", "leaks?");
    ThreadContext.push("inner");
    assertThat(ThreadContext.getImmutableContext())
        .containsEntry(LogContext.REQUEST_ID, "req-1")
        .containsEntry(LogContext.CORRELATION_ID, "corr-1")
        .containsEntry(LogContext.TRACE_ID, "trace-1")
        .containsEntry(LogContext.SPAN_ID, "span-1")
        .containsEntry(LogContext.TRACE_FLAGS, "01")
        .containsEntry(LogContext.LOG_ALL, "true");
    LogContext.restore(saved);
    assertThat(ThreadContext.getImmutableContext()).isEqualTo(Map.of("job", "nightly"));
    assertThat(ThreadContext.getDepth()).isEqualTo(1);
  }

  @Test
  void leavesOutWhatARequestDoesNotHave() {
    LogContext.Saved saved = LogContext.save(true);
    LogContext.put("req-2", null, null, null, null, false);
    assertThat(ThreadContext.getImmutableContext())
        .isEqualTo(Map.of(LogContext.REQUEST_ID, "req-2", LogContext.CORRELATION_ID, "req-2"));
    LogContext.restore(saved);
    assertThat(ThreadContext.isEmpty()).isTrue();
  }

  @Test
  void aLaterRequestOnTheSameThreadGetsOnlyItsOwnKeys() {
    LogContext.Saved saved = LogContext.save(true);
    LogContext.put("req-3", "corr-3", "trace-3", "span-3", "00", true);
    LogContext.restore(saved);
    LogContext.put("req-4", null, null, null, null, false);
    assertThat(ThreadContext.getImmutableContext())
        .isEqualTo(Map.of(LogContext.REQUEST_ID, "req-4", LogContext.CORRELATION_ID, "req-4"));
    LogContext.restore(saved);
    assertThat(ThreadContext.isEmpty()).isTrue();
  }

  @Test
  void theKeyNamesAreTheOnesTheContractDocuments() throws Exception {
    String contracts = Files.readString(Path.of("..", "docs", "contracts.md"));
    String section = contracts.substring(contracts.indexOf("## Log context keys"));
    section = section.substring(0, section.indexOf("\n## ", 5));
    for (String key : LogContext.KEYS) {
      assertThat(section).as("docs/contracts.md, log context keys").contains("`" + key + "`");
    }
  }
}
