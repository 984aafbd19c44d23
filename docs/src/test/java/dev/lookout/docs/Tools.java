package dev.lookout.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real tools (Debian's prometheus and prometheus-alertmanager packages) on the shipped assets. */
final class Tools {

  private Tools() {}

  /** The tool on PATH or in /usr/bin; a missing tool fails the test with what to install. */
  static String find(String tool, String debianPackage) {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new AssertionError(tool + " not found: apt-get install -y " + debianPackage + " (.ci/run does)");
  }

  /** Runs a command in {@code dir}; returns its output; fails the test with it on a non-zero exit. */
  static String run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s exit code; output:%n%s", List.of(command), text).isZero();
    return text;
  }

  static List<String> args(String... a) {
    return new ArrayList<>(List.of(a));
  }
}
