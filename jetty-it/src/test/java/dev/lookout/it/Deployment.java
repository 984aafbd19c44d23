package dev.lookout.it;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/** The example WAR deployed in some container: where it answers and what it logged. */
interface Deployment extends AutoCloseable {

  /** The base URI of the web application (context root, no trailing slash). */
  URI base();

  /** Every line the application wrote to its JSON log so far. */
  List<String> logLines() throws IOException;
}
