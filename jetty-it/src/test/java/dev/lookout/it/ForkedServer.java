package dev.lookout.it;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The example WAR in an embedded Jetty running in its own JVM, so that its stdout — the JSON log
 * lines the application really writes — can be read, and its system properties are its own.
 */
final class ForkedServer implements Deployment {

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final URI base;
  private final URI managementBase; // null without a second connector

  private ForkedServer(Process process, Path stdout, Path stderr, URI base, URI managementBase) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.base = base;
    this.managementBase = managementBase;
  }

  /** Starts the example WAR with these extra JVM options; waits (bounded) until it listens. */
  static ForkedServer start(String name, List<String> jvmOptions) throws Exception {
    Path work = Path.of(System.getProperty("it.work", "target/it-work"));
    Files.createDirectories(work);
    Path out = work.resolve(name + ".stdout.log");
    Path err = work.resolve(name + ".stderr.log");
    String classpath =
        System.getProperty("it.launcher.classes")
            + java.io.File.pathSeparator
            + Files.readString(Path.of(System.getProperty("it.launcher.classpath"))).trim();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    // each container module names its own launcher (and its class path)
    command.add(System.getProperty("it.launcher.main", "dev.lookout.it.ExampleServer"));
    command.add(System.getProperty("it.war"));
    command.add("0");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "example server exited with " + p.exitValue() + ":\n" + Files.readString(err));
      }
      int port = portAfter(err, "LISTENING ");
      if (port < 0) {
        port = portAfter(out, "LISTENING ");
      }
      if (port >= 0) {
        int m = portAfter(err, "MANAGEMENT ");
        if (m < 0) {
          m = portAfter(out, "MANAGEMENT ");
        }
        URI management = m < 0 ? null : URI.create("http://127.0.0.1:" + m);
        return new ForkedServer(p, out, err, URI.create("http://127.0.0.1:" + port), management);
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new IllegalStateException("example server did not start within 60 s:\n" + Files.readString(err));
  }

  /**
   * The port of the first {@code <prefix><port>} in the file, e.g. {@code LISTENING 8080} (a plain
   * line, or the message of a JSON log line), or -1.
   */
  static int portAfter(Path file, String prefix) throws IOException {
    if (!Files.exists(file)) {
      return -1;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int at = line.indexOf(prefix);
      if (at >= 0) {
        int from = at + prefix.length();
        int to = from;
        while (to < line.length() && Character.isDigit(line.charAt(to))) {
          to++;
        }
        if (to > from) {
          return Integer.parseInt(line.substring(from, to));
        }
      }
    }
    return -1;
  }

  /** The server's process, for thread dumps and class listings ({@code jcmd}). */
  long pid() {
    return process.pid();
  }

  /** The output of {@code jcmd <pid> <command>}: a thread dump, the loaded classes… */
  String jcmd(String... command) throws Exception {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    c.add(Long.toString(process.pid()));
    c.addAll(List.of(command));
    Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }

  @Override
  public URI base() {
    return base;
  }

  @Override
  public URI managementBase() {
    return managementBase == null ? Deployment.super.managementBase() : managementBase;
  }

  @Override
  public List<String> logLines() throws IOException {
    return stdoutLines();
  }

  /** Everything the application wrote to stdout so far. */
  List<String> stdoutLines() throws IOException {
    return Files.readAllLines(stdout, StandardCharsets.UTF_8);
  }

  String stdoutText() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  String stderrText() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
