package dev.lookout.jdbc.internal;

import dev.lookout.filters.internal.config.LookoutConfig;

/** Lets tests in other packages parse the database settings. */
public final class DbSettingsAccess {

  private DbSettingsAccess() {}

  public static Object parse(LookoutConfig config) {
    return DbSettings.from(config);
  }
}
