package dev.lookout.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Sentry endpoint on loopback for the benchmarks: one that answers every envelope with 200 at
 * once, or one that accepts connections and never answers (the worst case for the app).
 */
final class SentryEndpoint implements AutoCloseable {

  private final ServerSocket socket;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  SentryEndpoint(boolean hang) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try {
                  Socket s = socket.accept();
                  if (hang) {
                    held.add(s); // open, never read from, never answered
                  } else {
                    Thread t = new Thread(() -> answer(s), "bench-sentry-answer");
                    t.setDaemon(true);
                    t.start();
                  }
                } catch (IOException e) {
                  return;
                }
              }
            },
            "bench-sentry-endpoint");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String dsn() {
    return "http://publickey@127.0.0.1:" + socket.getLocalPort() + "/1";
  }

  /** Reads each request (headers, then Content-Length bytes) and answers 200 on the same connection. */
  private static void answer(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      while (true) {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
          head.append((char) c);
          if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
            break;
          }
        }
        if (c < 0) {
          return;
        }
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
          if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
            length = Long.parseLong(line.substring(15).trim());
          }
        }
        in.skipNBytes(length);
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException e) {
      // the SDK closed the connection
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : held) {
      s.close();
    }
  }
}
