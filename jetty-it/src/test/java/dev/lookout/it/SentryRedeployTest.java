package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.Test;

/**
 * With a Sentry DSN, undeploying the example in a running Jetty closes the SDK: none of its
 * threads survives, and the redeployed application reports to Sentry again.
 */
class SentryRedeployTest {

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void undeployClosesTheSdkAndRedeployReportsAgain() throws Exception {
    String previous = System.getProperty("sentry.dsn");
    Server server = new Server();
    try (SentryReceiver receiver = SentryReceiver.answering()) {
      System.setProperty("sentry.dsn", receiver.dsn());
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ContextHandlerCollection contexts = new ContextHandlerCollection();
      server.setHandler(contexts);
      server.start();
      URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());

      WebAppContext first = deploy(contexts);
      assertThat(get(base, "/api/fail", "first-deployment").statusCode()).isEqualTo(500);
      assertThat(receiver.awaitEvents(SentryReceiver.ofRequest("first-deployment"), 1)).hasSize(1);
      assertThat(sentryThreads()).isNotEmpty();

      first.stop();
      contexts.removeHandler(first);
      first.destroy();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!sentryThreads().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(sentryThreads()).as("Sentry threads left after undeploy").isEmpty();

      WebAppContext second = deploy(contexts);
      assertThat(second.isAvailable()).isTrue();
      assertThat(get(base, "/api/fail", "second-deployment").statusCode()).isEqualTo(500);
      assertThat(receiver.awaitEvents(SentryReceiver.ofRequest("second-deployment"), 1)).hasSize(1);
      second.stop();
    } finally {
      server.stop();
      if (previous == null) {
        System.clearProperty("sentry.dsn");
      } else {
        System.setProperty("sentry.dsn", previous);
      }
    }
  }

  private static WebAppContext deploy(ContextHandlerCollection contexts) throws Exception {
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    webapp.setWar(Path.of(System.getProperty("it.war")).toAbsolutePath().toString());
    webapp.setThrowUnavailableOnStartupException(true);
    contexts.addHandler(webapp);
    webapp.start();
    return webapp;
  }

  private HttpResponse<String> get(URI base, String path, String requestId) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).header("X-Request-ID", requestId).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> sentryThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.toLowerCase().contains("sentry"))
        .toList();
  }
}
