package dev.lookout.filters.internal.tracing;

import java.lang.management.ManagementFactory;

/** Whether the OpenTelemetry Java agent instruments this JVM. Internal. */
final class AgentDetector {

  private AgentDetector() {}

  static boolean agentAttached() {
    try {
      // The agent puts its bootstrap classes on the boot class path before any application starts.
      Class.forName("io.opentelemetry.javaagent.bootstrap.AgentInitializer", false, null);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      // fall through
    }
    try {
      for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (arg.startsWith("-javaagent:") && arg.contains("opentelemetry-javaagent")) {
          return true;
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // no management API: assume no agent
    }
    return false;
  }
}
