package dev.lookout.it;

import java.util.ArrayList;
import java.util.List;

/** Reads a {@code jcmd <pid> Thread.print -l} dump: its threads, the locks they wait for and hold. */
final class ThreadDump {

  private ThreadDump() {}

  /** Each thread's block: header, state, stack and (with {@code -l}) its locked ownable synchronizers. */
  static List<String> threads(String dump) {
    List<String> out = new ArrayList<>();
    StringBuilder current = null;
    for (String line : dump.split("\n", -1)) {
      if (line.startsWith("\"")) {
        if (current != null) {
          out.add(current.toString());
        }
        current = new StringBuilder();
      }
      if (current != null) {
        current.append(line).append('\n');
      }
    }
    if (current != null) {
      out.add(current.toString());
    }
    return out;
  }

  /**
   * The address of the lock this thread waits to acquire (a monitor, or a {@code ReentrantLock} or
   * {@code ReentrantReadWriteLock}), or null when it waits for none: it may wait for a condition,
   * a latch or a future instead, which no thread owns.
   */
  static String awaitedLock(String thread) {
    for (String line : thread.split("\n")) {
      String l = line.strip();
      if (l.startsWith("- waiting to lock <")) {
        return address(l);
      }
      if (l.startsWith("- parking to wait for")
          && (l.contains("(a java.util.concurrent.locks.ReentrantLock$")
              || l.contains("(a java.util.concurrent.locks.ReentrantReadWriteLock$"))) {
        return address(l);
      }
    }
    return null;
  }

  /** The thread that holds the lock at this address, or null (none holds it now: just released). */
  static String owner(List<String> threads, String address) {
    for (String t : threads) {
      for (String line : t.split("\n")) {
        String l = line.strip();
        if ((l.startsWith("- locked <") || l.startsWith("- <")) && address.equals(address(l))) {
          return t;
        }
      }
    }
    return null;
  }

  private static String address(String line) {
    int from = line.indexOf('<');
    int to = line.indexOf('>', from);
    return from < 0 || to < 0 ? null : line.substring(from + 1, to);
  }
}
