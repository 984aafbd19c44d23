package dev.lookout.example;

import dev.lookout.log4j2.ErrorContext;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.message.StringMapMessage;

/** Endpoints that show Lookout's behaviour: slow, failing, asynchronous, careless with the log context. */
@Path("/")
@Produces(MediaType.TEXT_PLAIN)
public class DemoResource {

  private static final Logger LOG = LogManager.getLogger(DemoResource.class);
  private static final long MAX_SLEEP_MS = 10_000;

  static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "example-async");
            t.setDaemon(true);
            return t;
          });

  @GET
  @Path("/slow")
  public String slow(@QueryParam("ms") @DefaultValue("500") long ms) throws InterruptedException {
    long bounded = Math.max(0, Math.min(ms, MAX_SLEEP_MS));
    LOG.info("sleeping {} ms", bounded);
    Thread.sleep(bounded);
    return "slept " + bounded + " ms\n";
  }

  @GET
  @Path("/fail")
  public String fail(@QueryParam("note") @DefaultValue("") String note, @QueryParam("ms") @DefaultValue("0") long ms)
      throws InterruptedException {
    if (note.isEmpty()) {
      LOG.info("about to fail");
    } else {
      LOG.info("about to fail: {}", note);
    }
    Thread.sleep(Math.max(0, Math.min(ms, MAX_SLEEP_MS)));
    throw new IllegalStateException("the example fails on purpose");
  }

  /** Logs the failure itself, then lets it escape: still one error event for the request. */
  @GET
  @Path("/fail/logged")
  public String failLogged() {
    IllegalStateException e = new IllegalStateException("payment provider refused the charge");
    LOG.error("charging failed", e);
    throw e;
  }

  /** Answers 503 without an exception: a failed request all the same. */
  @GET
  @Path("/fail/unavailable")
  public Response unavailable() {
    LOG.warn("the payment provider is down");
    return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity("try again later\n").build();
  }

  /**
   * A careless endpoint: logs the caller's credentials in a map and fails with a card number and a
   * token in the exception message. Lookout's redaction keeps them out of the logs and of Sentry.
   */
  @GET
  @Path("/fail/careless")
  public String careless(
      @HeaderParam("Authorization") String authorization,
      @HeaderParam("Cookie") String cookie,
      @QueryParam("token") String token,
      @Context UriInfo uri) {
    ErrorContext.setUser("user-42");
    LOG.info(
        new StringMapMessage()
            .with("event", "payment_attempt")
            .with("password", "hunter2-" + token)
            .with("authorization", String.valueOf(authorization))
            .with("cookie", String.valueOf(cookie)));
    LOG.info("calling back {}", uri.getRequestUri());
    throw new IllegalStateException(
        "card 4111 1111 1111 1111 declined for session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLXNlY3JldA");
  }

  @GET
  @Path("/async")
  public void async(@QueryParam("ms") @DefaultValue("300") long ms, @Suspended AsyncResponse response) {
    long bounded = Math.max(0, Math.min(ms, MAX_SLEEP_MS));
    LOG.info("answering in {} ms from another thread", bounded);
    SCHEDULER.schedule(() -> response.resume("done after " + bounded + " ms\n"), bounded, TimeUnit.MILLISECONDS);
  }

  /** Puts a value in the log context and never removes it: Lookout must not let it leak. */
  @GET
  @Path("/careless")
  public String careless(@QueryParam("value") @DefaultValue("x") String value) {
    ThreadContext.put("leaked", value);
    LOG.info("put a value in the log context and forgot it");
    return "ok\n";
  }

  /** Logs with a secret-looking query, to show the access log masks it. */
  @GET
  @Path("/login")
  public String login(@QueryParam("user") @DefaultValue("anonymous") String user) {
    LOG.info("login attempt for {}", user);
    return "hello " + user + "\n";
  }
}
