package dev.lookout.example;

import dev.lookout.example.warehouse.Warehouse;
import dev.lookout.filters.Flow;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Checkout calls the orders API over HTTP with the JAX-RS client, as it would call another
 * service: Lookout carries the request ID and the trace along without a line of code here. The
 * orders service's address is {@code -Dexample.orders.url} (default: this application itself).
 * The checkout is a {@link Flow}: its steps, outcome and duration are logged and measured under one
 * {@code flow_id}, which the orders service logs too (W3C baggage).
 */
@Path("/checkout")
@Produces(MediaType.APPLICATION_JSON)
public class CheckoutResource {

  private static final Logger LOG = LogManager.getLogger(CheckoutResource.class);
  private static final Client CLIENT = ClientBuilder.newClient();
  private static final Warehouse WAREHOUSE = new Warehouse();

  static final Histogram CHECKOUT_SECONDS =
      Histogram.builder().name("checkout_duration_seconds").help("Checkout duration").unit(Unit.SECONDS)
          .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5).register();

  @Context private UriInfo uriInfo;

  @GET
  @Path("/{id: [0-9]+}")
  public String checkout(@PathParam("id") long id) {
    long start = System.nanoTime();
    String base = System.getProperty("example.orders.url", uriInfo.getBaseUri().toString());
    // one flow_id through every step, the shipping thread and the orders service's logs
    try (Flow flow = Flow.start("checkout", "order_id", id)) {
      try {
        LOG.info("checking out order {} via {}", id, base);
        flow.step("load_order");
        String order = CLIENT.target(base).path("orders").path(Long.toString(id)).request().get(String.class);
        flow.step("reserve_stock");
        WAREHOUSE.reserve(id, 3);
        flow.step("ship");
        String parcel = CompletableFuture.supplyAsync(() -> WAREHOUSE.ship(id), Shipping.executor()).join();
        flow.complete();
        CHECKOUT_SECONDS.observe((System.nanoTime() - start) / 1e9);
        return "{\"checkout\":\"ok\",\"parcel\":\"" + parcel + "\",\"order\":" + order + "}";
      } catch (RuntimeException e) {
        flow.fail(e);
        throw e;
      }
    }
  }
}
