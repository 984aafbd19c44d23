package dev.lookout.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** What the tests of a container running in its own process (Tomcat, WildFly) share: ports, readiness, logs. */
final class ContainerProcess {

  private ContainerProcess() {}

  /** A port that was free a moment ago, for a container that cannot bind port 0 itself. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Waits until the application itself (not just the connector) answers {@code livePath} with 200.
   *
   * @param name the container, for messages
   * @param alive whether the container's process still runs
   * @param log the file whose tail explains a failure
   * @param onTimeout stops the container when it never answers
   */
  static void awaitLive(
      String name, BooleanSupplier alive, int port, String livePath, Duration timeout, Path log, AutoCloseable onTimeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!alive.getAsBoolean()) {
        throw new IllegalStateException(name + " exited:\n" + tail(log));
      }
      if (answers200(port, livePath)) {
        return;
      }
      Thread.sleep(100);
    }
    onTimeout.close();
    throw new IllegalStateException(name + " did not answer within " + timeout.toSeconds() + " s:\n" + tail(log));
  }

  private static boolean answers200(int port, String path) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(2_000);
      s.getOutputStream()
          .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }

  /** The last lines of a log file, or a note that there is none. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no " + log + ")";
    }
  }
}
