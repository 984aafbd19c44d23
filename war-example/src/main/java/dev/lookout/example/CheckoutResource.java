package dev.lookout.example;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Checkout calls the orders API over HTTP with the JAX-RS client, as it would call another
 * service: Lookout carries the request ID and the trace along without a line of code here. The
 * orders service's address is {@code -Dexample.orders.url} (default: this application itself).
 */
@Path("/checkout")
@Produces(MediaType.APPLICATION_JSON)
public class CheckoutResource {

  private static final Logger LOG = LogManager.getLogger(CheckoutResource.class);
  private static final Client CLIENT = ClientBuilder.newClient();

  @Context private UriInfo uriInfo;

  @GET
  @Path("/{id: [0-9]+}")
  public String checkout(@PathParam("id") long id) {
    String base = System.getProperty("example.orders.url", uriInfo.getBaseUri().toString());
    LOG.info("checking out order {} via {}", id, base);
    String order = CLIENT.target(base).path("orders").path(Long.toString(id)).request().get(String.class);
    return "{\"checkout\":\"ok\",\"order\":" + order + "}";
  }
}
