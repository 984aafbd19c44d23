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

  /**
   * The lines of a file another process is still writing: a last line without its newline is
   * being written right now and is left out (it comes whole on the next read).
   */
  static List<String> completeLines(java.nio.file.Path file) throws IOException {
    String text = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\r?\n", -1));
  }
}
