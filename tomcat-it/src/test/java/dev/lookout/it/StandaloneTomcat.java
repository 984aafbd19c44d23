package dev.lookout.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's standalone Tomcat 10.1 ({@code apt-get install tomcat10}) with a CATALINA_BASE of its own:
 * the example WAR copied into {@code webapps/ROOT.war}, a free port, {@code catalina.sh run} in the
 * foreground so that the application's stdout (its JSON logs) is the process output we read.
 */
final class StandaloneTomcat implements Deployment {

  static final Path HOME = Path.of("/usr/share/tomcat10");

  private final Process process;
  private final Path stdout;
  private final URI base;

  private StandaloneTomcat(Process process, Path stdout, URI base) {
    this.process = process;
    this.stdout = stdout;
    this.base = base;
  }

  static StandaloneTomcat start(String name, Map<String, String> systemProperties) throws Exception {
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
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.writeString(
        catalinaBase.resolve("conf/server.xml"),
        "<Server port=\"-1\" shutdown=\"SHUTDOWN\">\n"
            + "  <Service name=\"Catalina\">\n"
            + "    <Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\" connectionTimeout=\"20000\"/>\n"
            + "    <Engine name=\"Catalina\" defaultHost=\"localhost\">\n"
            + "      <Host name=\"localhost\" appBase=\"webapps\" unpackWARs=\"true\" autoDeploy=\"false\"/>\n"
            + "    </Engine>\n"
            + "  </Service>\n"
            + "</Server>\n");
    Files.copy(Path.of(System.getProperty("it.war")), catalinaBase.resolve("webapps/ROOT.war"));
    List<String> opts = new ArrayList<>();
    systemProperties.forEach((k, v) -> opts.add("-D" + k + "=" + v));
    Path out = work.resolve(name + ".stdout.log");
    ProcessBuilder pb =
        new ProcessBuilder(HOME.resolve("bin/catalina.sh").toString(), "run")
            .redirectOutput(out.toFile())
            .redirectError(work.resolve(name + ".stderr.log").toFile());
    pb.environment().put("CATALINA_HOME", HOME.toString());
    pb.environment().put("CATALINA_BASE", catalinaBase.toString());
    pb.environment().put("CATALINA_OPTS", String.join(" ", opts) + " -Xmx256m");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    StandaloneTomcat tomcat = new StandaloneTomcat(p, out, URI.create("http://127.0.0.1:" + port));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("tomcat exited:\n" + Files.readString(work.resolve(name + ".stderr.log")));
      }
      if (answers(port)) {
        return tomcat;
      }
      Thread.sleep(100);
    }
    tomcat.close();
    throw new IllegalStateException("tomcat did not answer within 90 s:\n" + Files.readString(work.resolve(name + ".stderr.log")));
  }

  /** Whether the application (not just the connector) answers: the health probe is up. */
  private static boolean answers(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(2_000);
      s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] head = s.getInputStream().readNBytes(12);
      return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public URI base() {
    return base;
  }

  @Override
  public List<String> logLines() throws IOException {
    // Tomcat writes its own startup lines too; the application's JSON lines are the objects
    List<String> json = new ArrayList<>();
    for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
      if (line.startsWith("{")) {
        json.add(line);
      }
    }
    return json;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
