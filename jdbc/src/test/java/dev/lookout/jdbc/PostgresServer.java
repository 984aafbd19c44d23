package dev.lookout.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server of Debian's {@code postgresql} package: its own cluster in a temp
 * directory (as the user {@code postgres} when the tests run as root, since initdb refuses root),
 * on a free port, trust authentication on 127.0.0.1 only, stopped and deleted at close.
 */
final class PostgresServer implements AutoCloseable {

  static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

  final Path dir;
  final int port;

  private PostgresServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  static PostgresServer start() throws Exception {
    if (!Files.isExecutable(BIN.resolve("initdb"))) {
      throw new IllegalStateException(
          "PostgreSQL 15 is not installed (" + BIN + "): apt-get install -y postgresql (.ci/run does)");
    }
    Path dir = Files.createTempDirectory("lookout-pg-");
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Path data = dir.resolve("data");
    run(dir, BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8");
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      try {
        run(
            dir,
            BIN.resolve("pg_ctl").toString(),
            "-D", data.toString(),
            "-l", dir.resolve("server.log").toString(),
            "-w", "-t", "60",
            "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50",
            "start");
        return new PostgresServer(dir, port);
      } catch (IOException e) {
        last = e; // the port was taken in between: try another
      }
    }
    throw last;
  }

  String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      String log = "";
      Path server = dir.resolve("server.log");
      if (Files.exists(server)) {
        log = Files.readString(server);
      }
      throw new IOException(String.join(" ", cmd) + " failed:\n" + out + log);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      run(dir, BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
