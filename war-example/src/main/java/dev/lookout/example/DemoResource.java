package dev.lookout.example;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

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
  public String fail() {
    LOG.info("about to fail");
    throw new IllegalStateException("the example fails on purpose");
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
