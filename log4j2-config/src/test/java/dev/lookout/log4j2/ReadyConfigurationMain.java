package dev.lookout.log4j2;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Logs one line per level through the ready configuration, in a JVM a test starts. */
public final class ReadyConfigurationMain {

  private ReadyConfigurationMain() {}

  public static void main(String[] args) {
    Logger log = LogManager.getLogger("app");
    log.debug("a debug line");
    log.info("an info line");
    log.warn("a warn line");
    LogManager.shutdown();
  }
}
