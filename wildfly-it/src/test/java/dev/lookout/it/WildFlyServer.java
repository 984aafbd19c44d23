package dev.lookout.it;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * WildFly from the wildfly-dist zip, with a server base directory of its own (configuration copied,
 * the WAR in {@code deployments/}), free ports, booted with {@code standalone.sh}. The application's
 * stdout reaches WildFly's console log as {@code [stdout]} lines; the JSON is what follows the prefix.
 */
final class WildFlyServer implements Deployment {

  private final Process process;
  private final Path console;
  private final Path serverBase;
  private final URI base;
  private final URI managementBase; // null without a second listener

  private WildFlyServer(Process process, Path console, Path serverBase, URI base, URI managementBase) {
    this.process = process;
    this.console = console;
    this.serverBase = serverBase;
    this.base = base;
    this.managementBase = managementBase;
  }

  static WildFlyServer start(String name, Map<String, String> systemProperties) throws Exception {
    return start(name, systemProperties, Path.of(System.getProperty("it.war")), List.of());
  }

  /**
   * Boots WildFly with this WAR, after running these management CLI commands against its
   * configuration (offline, in an embedded server), as an operator would before the first start.
   */
  static WildFlyServer start(String name, Map<String, String> systemProperties, Path war, List<String> cli) throws Exception {
    Path home = Path.of(System.getProperty("it.wildfly.home"));
    Path script = home.resolve("bin/standalone.sh");
    if (!Files.isRegularFile(script)) {
      throw new AssertionError("no WildFly at " + home + " (the build unpacks org.wildfly:wildfly-dist)");
    }
    script.toFile().setExecutable(true);
    Path work = Path.of(System.getProperty("it.work", "target/it-work")).toAbsolutePath();
    Files.createDirectories(work);
    Path serverBase = Files.createTempDirectory(work, name + "-wildfly");
    copyTree(home.resolve("standalone/configuration"), serverBase.resolve("configuration"));
    Files.createDirectories(serverBase.resolve("deployments"));
    Files.copy(war, serverBase.resolve("deployments/orders.war"));
    if (!cli.isEmpty()) {
      configure(home, serverBase, cli, work.resolve(name + ".cli.log"));
    }
    int httpPort = ContainerProcess.freePort();
    int managementPort = -1;
    if (Boolean.parseBoolean(systemProperties.get("it.management-connector"))) {
      managementPort = ContainerProcess.freePort();
      addHttpListener(serverBase.resolve("configuration/standalone.xml"), "lookout-management", managementPort);
    }
    List<String> command = new ArrayList<>(List.of(
        script.toString(),
        "-Djboss.server.base.dir=" + serverBase,
        "-Djboss.bind.address=127.0.0.1",
        "-Djboss.bind.address.management=127.0.0.1",
        "-Djboss.http.port=" + httpPort,
        "-Djboss.https.port=" + ContainerProcess.freePort(),
        "-Djboss.management.http.port=" + ContainerProcess.freePort(),
        "-Djboss.management.https.port=" + ContainerProcess.freePort()));
    systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    if (managementPort > 0) {
      command.add("-Dlookout.endpoints.port=" + managementPort);
    }
    Path out = work.resolve(name + ".console.log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("JAVA_OPTS", "-Xmx512m -Djava.net.preferIPv4Stack=true");
    pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "false");
    Process p = pb.start();
    WildFlyServer server =
        new WildFlyServer(
            p,
            out,
            serverBase,
            URI.create("http://127.0.0.1:" + httpPort + "/orders"),
            managementPort < 0 ? null : URI.create("http://127.0.0.1:" + managementPort + "/orders"));
    ContainerProcess.awaitLive("WildFly", p::isAlive, httpPort, "/orders/health/live", Duration.ofSeconds(120), out, server);
    return server;
  }

  private static void configure(Path home, Path serverBase, List<String> cli, Path log) throws Exception {
    Path jbossCli = home.resolve("bin/jboss-cli.sh");
    jbossCli.toFile().setExecutable(true);
    List<String> commands = new ArrayList<>();
    commands.add("embed-server --std-out=echo --server-config=standalone.xml");
    commands.addAll(cli);
    commands.add("stop-embedded-server");
    Path script = serverBase.resolve("configure.cli");
    Files.write(script, commands, StandardCharsets.UTF_8);
    ProcessBuilder pb =
        new ProcessBuilder(jbossCli.toString(), "--file=" + script, "-Djboss.server.base.dir=" + serverBase)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("JBOSS_HOME", home.toString());
    pb.environment().put("JAVA_OPTS", "-Djboss.server.base.dir=" + serverBase);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError("jboss-cli failed:\n" + Files.readString(log));
    }
  }

  /**
   * Deploys a WAR as an operator does, by copying it into {@code deployments/}, and waits for the
   * deployment scanner's verdict: its marker file, {@code <file>.deployed} or {@code <file>.failed}.
   *
   * @return the failure WildFly wrote into {@code .failed}, or null when the WAR was deployed
   */
  String deploy(Path war, String fileName) throws Exception {
    Path deployments = serverBase.resolve("deployments");
    // whole or not at all: the scanner must never see a half-copied archive
    Path partial = serverBase.resolve(fileName + ".partial");
    Files.copy(war, partial);
    Files.move(partial, deployments.resolve(fileName), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Path deployed = deployments.resolve(fileName + ".deployed");
    Path failed = deployments.resolve(fileName + ".failed");
    awaitFile(List.of(deployed, failed), Duration.ofSeconds(90));
    return Files.exists(failed) ? Files.readString(failed) : null;
  }

  /** Undeploys a WAR by removing it from {@code deployments/}, and waits until WildFly says it is. */
  void undeploy(String fileName) throws Exception {
    Path deployments = serverBase.resolve("deployments");
    Files.delete(deployments.resolve(fileName));
    awaitFile(List.of(deployments.resolve(fileName + ".undeployed")), Duration.ofSeconds(90));
  }

  /** The URI of a web application deployed as {@code <name>.war}. */
  URI base(String contextRoot) {
    return base.resolve("/" + contextRoot);
  }

  private void awaitFile(List<Path> any, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (any.stream().noneMatch(Files::exists)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("WildFly wrote none of " + any + ":\n" + String.join("\n", consoleLines()));
      }
      Thread.sleep(100); // the scanner looks every few seconds; its marker file is the answer
    }
  }

  /** Every line WildFly wrote to its console. */
  List<String> consoleLines() throws IOException {
    return Deployment.completeLines(console);
  }

  /**
   * A second Undertow HTTP listener on its own socket binding, as an operator adds a management
   * port for the application (not WildFly's own management interface).
   */
  private static void addHttpListener(Path standaloneXml, String name, int port) throws IOException {
    String xml = Files.readString(standaloneXml);
    int listener = xml.indexOf("<http-listener name=\"default\"");
    int binding = xml.indexOf("<socket-binding name=\"http\"");
    if (listener < 0 || binding < 0) {
      throw new IllegalStateException("no default http-listener or http socket-binding in " + standaloneXml);
    }
    int listenerEnd = xml.indexOf('\n', listener) + 1;
    int bindingEnd = xml.indexOf('\n', binding) + 1;
    String listenerLine = "                <http-listener name=\"" + name + "\" socket-binding=\"" + name + "\"/>\n";
    String bindingLine = "        <socket-binding name=\"" + name + "\" port=\"" + port + "\"/>\n";
    // insert the later position first, so that the earlier one stays valid
    StringBuilder sb = new StringBuilder(xml);
    if (listenerEnd > bindingEnd) {
      sb.insert(listenerEnd, listenerLine).insert(bindingEnd, bindingLine);
    } else {
      sb.insert(bindingEnd, bindingLine).insert(listenerEnd, listenerLine);
    }
    Files.writeString(standaloneXml, sb.toString());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
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
    List<String> json = new ArrayList<>();
    for (String line : Files.readAllLines(console, StandardCharsets.UTF_8)) {
      int marker = line.indexOf("[stdout]");
      int brace = line.indexOf('{', marker < 0 ? 0 : marker);
      if (marker >= 0 && brace > 0) {
        json.add(line.substring(brace));
      } else if (line.startsWith("{")) {
        json.add(line);
      }
    }
    return json;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
