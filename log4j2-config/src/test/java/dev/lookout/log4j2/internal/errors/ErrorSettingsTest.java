package dev.lookout.log4j2.internal.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

class ErrorSettingsTest {

  @Test
  void defaults() {
    ErrorSettings s = ErrorSettings.parse("", null, " ", "");
    assertThat(s.eventLevel()).isEqualTo(Level.ERROR);
    assertThat(s.breadcrumbLevel()).isEqualTo(Level.INFO);
    assertThat(s.sampleRate()).isEqualTo(1.0);
    assertThat(s.queueSize()).isEqualTo(100);
  }

  @Test
  void aBadValueIsRejectedNamingItsSetting() {
    assertThatThrownBy(() -> ErrorSettings.parse("INFO", "INFO", "1", "1"))
        .hasMessage("lookout.errors.event-level must be WARN, ERROR or FATAL, not 'INFO'");
    assertThatThrownBy(() -> ErrorSettings.parse("ERROR", "LOUD", "1", "1"))
        .hasMessageStartingWith("lookout.errors.breadcrumb-level must be a Log4j level");
    assertThatThrownBy(() -> ErrorSettings.parse("ERROR", "INFO", "0", "1"))
        .hasMessage("lookout.errors.sample-rate must be a number in (0, 1], not '0'");
    assertThatThrownBy(() -> ErrorSettings.parse("ERROR", "INFO", "1", "0"))
        .hasMessage("lookout.errors.queue-size must be an integer from 1 to 10000, not '0'");
  }
}
