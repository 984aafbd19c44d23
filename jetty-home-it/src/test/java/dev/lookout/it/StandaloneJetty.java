package dev.lookout.it;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A standalone Jetty 12.1 as an operator runs one: {@code jetty-home} unpacked from Maven Central,
 * a {@code jetty.base} of its own made with {@code start.jar --add-modules}, the example WAR copied
 * into {@code webapps/orders.war} (context {@code /orders}) and a probe web application beside it,
 * HTTP on 127.0.0.1 and a port Jetty picks (read from its "Started ServerConnector" line), the
 * deployer scanning {@code webapps/} every second for hot undeploy and redeploy. The web
 * application's JSON lines are its stdout; Jetty's own lines ({@code logging-jetty}) and the JDK's
 * console handler write to stderr.
 */
final class StandaloneJetty implements Deployment {

  static final String MODULES = "http,ee10-deploy,ee10-annotations";

  private final Process process;
  private final Path base;
  private final Path stdout;
  private final Path stderr;
  private final URI root;

  private StandaloneJetty(Process process, Path base, Path stdout, Path stderr, URI root) {
    this.process = process;
    this.base = base;
    this.stdout = stdout;
    this.stderr = stderr;
    this.root = root;
  }

  static StandaloneJetty start(String name, Map<String, String> systemProperties) throws Exception {
    Path home = Path.of(System.getProperty("it.jetty.home")).toAbsolutePath();
    if (!Files.isRegularFile(home.resolve("start.jar"))) {
      throw new AssertionError("no jetty-home at " + home + " (the build unpacks org.eclipse.jetty:jetty-home)");
    }
    Path work = Path.of(System.getProperty("it.work", "target/it-work")).toAbsolutePath();
    Files.createDirectories(work);
    Path base = Files.createTempDirectory(work, name + "-jetty-base");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path setupLog = work.resolve(name + ".add-modules.log");
    Process setup =
        new ProcessBuilder(java.toString(), "-jar", home.resolve("start.jar").toString(),
                "jetty.home=" + home, "jetty.base=" + base, "--add-modules=" + MODULES)
            .directory(base.toFile())
            .redirectErrorStream(true)
            .redirectOutput(setupLog.toFile())
            .start();
    if (!setup.waitFor(60, TimeUnit.SECONDS) || setup.exitValue() != 0) {
      setup.destroyForcibly();
      throw new IllegalStateException("start.jar --add-modules failed:\n" + Files.readString(setupLog));
    }
    Files.createDirectories(base.resolve("webapps"));
    Files.createDirectories(base.resolve("work")); // Jetty unpacks the WAR there, not in /tmp
    copyTree(Path.of(System.getProperty("it.probe.webapp")), base.resolve("webapps/probe"));
    copyTree(Path.of(System.getProperty("it.probe.classes")), base.resolve("webapps/probe/WEB-INF/classes"));
    Files.copy(Path.of(System.getProperty("it.war")), base.resolve("webapps/orders.war"));

    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Xmx384m");
    // lets the probe read the listeners of the JVM-wide garbage collector MXBeans
    command.add("--add-opens=java.management/sun.management=ALL-UNNAMED");
    systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(List.of(
        "-jar", home.resolve("start.jar").toString(),
        "jetty.home=" + home,
        "jetty.base=" + base,
        "jetty.http.host=127.0.0.1",
        "jetty.http.port=0",
        "jetty.deploy.scanInterval=1"));
    Path out = work.resolve(name + ".stdout.log");
    Path err = work.resolve(name + ".stderr.log");
    Process p =
        new ProcessBuilder(command).directory(base.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    StandaloneJetty jetty;
    try {
      int port = awaitPort(p, err, Duration.ofSeconds(90));
      jetty = new StandaloneJetty(p, base, out, err, URI.create("http://127.0.0.1:" + port));
    } catch (Exception | AssertionError e) {
      p.destroyForcibly();
      throw e;
    }
    ContainerProcess.awaitLive("jetty", p::isAlive, jetty.root.getPort(), "/orders/health/live", Duration.ofSeconds(90), err, jetty);
    return jetty;
  }

  /** The port of Jetty's "Started oejs.ServerConnector@…{HTTP/1.1, (http/1.1)}{127.0.0.1:NNNNN}" line. */
  private static int awaitPort(Process p, Path err, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String marker = "{127.0.0.1:";
    while (System.nanoTime() < deadline) {
      for (String line : Deployment.completeLines(err)) {
        int started = line.indexOf("ServerConnector@");
        started = started >= 0 && line.lastIndexOf("Started ", started) >= 0 ? started : -1;
        int at = started < 0 ? -1 : line.indexOf(marker, started);
        if (at >= 0) {
          int end = line.indexOf('}', at);
          return Integer.parseInt(line.substring(at + marker.length(), end));
        }
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("jetty exited:\n" + ContainerProcess.tail(err));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("jetty logged no started connector within " + timeout.toSeconds() + " s:\n" + ContainerProcess.tail(err));
  }

  /** The example's context root, {@code /orders}. */
  @Override
  public URI base() {
    return URI.create(root + "/orders");
  }

  /** Where the probe web application answers. */
  URI probe() {
    return URI.create(root + "/probe");
  }

  long pid() {
    return process.pid();
  }

  /** Hot undeploy: the WAR leaves {@code webapps/}; the deployer's scan stops the web application. */
  void removeWar() throws IOException {
    Files.delete(base.resolve("webapps/orders.war"));
  }

  /** Whether the WAR is in {@code webapps/}. */
  boolean warDeployed() {
    return Files.exists(base.resolve("webapps/orders.war"));
  }

  /** Hot deploy: the WAR appears in {@code webapps/} whole (moved in, never seen half-copied). */
  void addWar() throws IOException {
    Path staged = base.resolve("orders.war.staged");
    Files.copy(Path.of(System.getProperty("it.war")), staged, StandardCopyOption.REPLACE_EXISTING);
    Files.move(staged, base.resolve("webapps/orders.war"), StandardCopyOption.ATOMIC_MOVE);
  }

  /** The web application's JSON lines (its stdout). */
  @Override
  public List<String> logLines() throws IOException {
    List<String> json = new ArrayList<>();
    for (String line : Deployment.completeLines(stdout)) {
      if (line.startsWith("{")) {
        json.add(line);
      }
    }
    return json;
  }

  /** Everything written to stdout, JSON or not. */
  List<String> stdoutLines() throws IOException {
    return Deployment.completeLines(stdout);
  }

  /** Everything Jetty and the JDK's console handler wrote to stderr. */
  List<String> stderrLines() throws IOException {
    return Deployment.completeLines(stderr);
  }

  /** The output of {@code jcmd <pid> <command>} against this Jetty's JVM. */
  String jcmd(String... command) throws Exception {
    List<String> args = new ArrayList<>();
    args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    args.add(Long.toString(process.pid()));
    args.addAll(List.of(command));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed:\n" + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy(); // SIGTERM: Jetty's shutdown hook stops the web applications
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
