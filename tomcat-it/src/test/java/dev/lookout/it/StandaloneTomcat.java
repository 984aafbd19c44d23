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

/**
 * Debian's standalone Tomcat 10.1 ({@code apt-get install tomcat10}) with a CATALINA_BASE of its own:
 * the example WAR copied into {@code webapps/ROOT.war}, a free port, started in the background with
 * {@code catalina.sh start} as an operator would. The application's JSON logs are read from the file
 * Tomcat writes them to, {@code $CATALINA_BASE/logs/catalina.out}.
 */
final class StandaloneTomcat implements Deployment {

  static final Path HOME = Path.of("/usr/share/tomcat10");

  private final ProcessHandle process;
  private final Path catalinaOut;
  private final URI base;
  private final URI managementBase; // null without a second connector

  private StandaloneTomcat(ProcessHandle process, Path catalinaOut, URI base, URI managementBase) {
    this.process = process;
    this.catalinaOut = catalinaOut;
    this.base = base;
    this.managementBase = managementBase;
  }

  static StandaloneTomcat start(String name, Map<String, String> systemProperties) throws Exception {
    return start(name, systemProperties, Path.of(System.getProperty("it.war")));
  }

  /** Tomcat with this WAR as its root application. */
  static StandaloneTomcat start(String name, Map<String, String> systemProperties, Path war) throws Exception {
    if (!Files.isExecutable(HOME.resolve("bin/catalina.sh"))) {
      throw new AssertionError("Tomcat 10 not found at " + HOME + ": apt-get install -y tomcat10 (.ci/run does)");
    }
    Path work = Path.of(System.getProperty("it.work", "target/it-work")).toAbsolutePath();
    Files.createDirectories(work);
    Path catalinaBase = Files.createTempDirectory(work, name + "-tomcat");
    for (String dir : List.of("conf", "webapps", "logs", "temp", "work")) {
      Files.createDirectories(catalinaBase.resolve(dir));
    }
    for (String file : List.of("web.xml", "catalina.properties", "context.xml", "logging.properties")) {
      Files.copy(HOME.resolve("etc").resolve(file), catalinaBase.resolve("conf").resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    int port = ContainerProcess.freePort();
    // a management connector, as an operator adds one: Lookout learns its port from lookout.endpoints.port
    int managementPort = Boolean.parseBoolean(systemProperties.get("it.management-connector")) ? ContainerProcess.freePort() : -1;
    String managementConnector =
        managementPort < 0
            ? ""
            : "    <Connector port=\"" + managementPort + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\" connectionTimeout=\"20000\"/>\n";
    Files.writeString(
        catalinaBase.resolve("conf/server.xml"),
        "<Server port=\"-1\" shutdown=\"SHUTDOWN\">\n"
            + "  <Service name=\"Catalina\">\n"
            + "    <Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\" connectionTimeout=\"20000\"/>\n"
            + managementConnector
            + "    <Engine name=\"Catalina\" defaultHost=\"localhost\">\n"
            + "      <Host name=\"localhost\" appBase=\"webapps\" unpackWARs=\"true\" autoDeploy=\"false\"/>\n"
            + "    </Engine>\n"
            + "  </Service>\n"
            + "</Server>\n");
    Files.copy(war, catalinaBase.resolve("webapps/ROOT.war"));
    List<String> opts = new ArrayList<>();
    systemProperties.forEach((k, v) -> opts.add("-D" + k + "=" + v));
    if (managementPort > 0) {
      opts.add("-Dlookout.endpoints.port=" + managementPort);
    }
    Path script = work.resolve(name + ".catalina-sh.log");
    Path pidFile = catalinaBase.resolve("tomcat.pid");
    Path catalinaOut = catalinaBase.resolve("logs/catalina.out");
    ProcessBuilder pb =
        new ProcessBuilder(HOME.resolve("bin/catalina.sh").toString(), "start")
            .redirectErrorStream(true)
            .redirectOutput(script.toFile());
    pb.environment().put("CATALINA_HOME", HOME.toString());
    pb.environment().put("CATALINA_BASE", catalinaBase.toString());
    pb.environment().put("CATALINA_PID", pidFile.toString());
    pb.environment().put("CATALINA_OPTS", String.join(" ", opts) + " -Xmx256m");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process launcher = pb.start();
    if (!launcher.waitFor(30, TimeUnit.SECONDS) || launcher.exitValue() != 0 || !Files.exists(pidFile)) {
      launcher.destroyForcibly();
      throw new IllegalStateException("catalina.sh start failed:\n" + Files.readString(script));
    }
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    ProcessHandle p =
        ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("tomcat exited at once:\n" + ContainerProcess.tail(catalinaOut)));
    StandaloneTomcat tomcat =
        new StandaloneTomcat(
            p,
            catalinaOut,
            URI.create("http://127.0.0.1:" + port),
            managementPort < 0 ? null : URI.create("http://127.0.0.1:" + managementPort));
    ContainerProcess.awaitLive("tomcat", p::isAlive, port, "/health/live", Duration.ofSeconds(90), catalinaOut, tomcat);
    return tomcat;
  }

  /** Everything Tomcat and the application wrote to {@code catalina.out}. */
  String catalinaOut() throws IOException {
    return Files.readString(catalinaOut, StandardCharsets.UTF_8);
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
    // Tomcat writes its own startup lines too; the application's JSON lines are the objects
    List<String> json = new ArrayList<>();
    for (String line : Deployment.completeLines(catalinaOut)) {
      if (line.startsWith("{")) {
        json.add(line);
      }
    }
    return json;
  }

  @Override
  public void close() throws Exception {
    process.destroy(); // SIGTERM: Tomcat's shutdown hook stops the web application
    try {
      process.onExit().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      process.onExit().get(10, TimeUnit.SECONDS);
    }
  }
}
