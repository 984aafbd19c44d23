package dev.lookout.it;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/** The example WAR deployed in some container: where it answers and what it logged. */
interface Deployment extends AutoCloseable {

  /** The base URI of the web application (context root, no trailing slash). */
  URI base();

  /**
   * The base URI of the web application on the container's second connector, when it was deployed
   * with {@code it.management-connector=true} (the launcher gives Lookout that port as {@code
   * lookout.endpoints.port}).
   */
  default URI managementBase() {
    throw new UnsupportedOperationException("deployed without a management connector");
  }

  /** Every line the application wrote to its JSON log so far. */
  List<String> logLines() throws IOException;
}
