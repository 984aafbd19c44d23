package dev.lookout.example;

import io.prometheus.metrics.core.metrics.Counter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.slf4j.LoggerFactory;

/** The orders API. */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

  private static final Logger LOG = LogManager.getLogger(OrdersResource.class);
  private static final org.slf4j.Logger EVENTS = LoggerFactory.getLogger(OrdersResource.class);

  /** A business metric, registered where Lookout's /metrics serves it from. */
  static final Counter ORDERS_CREATED =
      Counter.builder().name("orders_created_total").help("Orders created").register();

  @GET
  public List<Order> list() throws SQLException {
    List<Order> out = new ArrayList<>();
    try (Connection c = Database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, item, quantity FROM orders ORDER BY id")) {
      while (rs.next()) {
        out.add(new Order(rs.getLong(1), rs.getString(2), rs.getInt(3)));
      }
    }
    return out;
  }

  @GET
  @Path("/{id: [0-9]+}")
  public Order get(@PathParam("id") long id) throws SQLException {
    try (Connection c = Database.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT id, item, quantity FROM orders WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          LOG.warn("order {} not found", id);
          throw new NotFoundException("no order " + id);
        }
        return new Order(rs.getLong(1), rs.getString(2), rs.getInt(3));
      }
    }
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(Order order) throws SQLException {
    if (order == null || order.item == null || order.item.isBlank() || order.quantity <= 0) {
      LOG.warn("rejected an invalid order");
      throw new WebApplicationException(
          Response.status(400).entity("{\"error\":\"item and a positive quantity are required\"}").build());
    }
    long id;
    try (Connection c = Database.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement("INSERT INTO orders (item, quantity) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      s.setString(1, order.item);
      s.setInt(2, order.quantity);
      s.executeUpdate();
      try (ResultSet keys = s.getGeneratedKeys()) {
        keys.next();
        id = keys.getLong(1);
      }
    }
    ORDERS_CREATED.inc();
    // one call, typed values: order_id and quantity are JSON numbers in the log line
    EVENTS.atInfo()
        .setMessage("order_created")
        .addKeyValue("order_id", id)
        .addKeyValue("item", order.item)
        .addKeyValue("quantity", order.quantity)
        .log();
    return Response.status(201).entity(new Order(id, order.item, order.quantity)).build();
  }

  /** A sub-resource: the order's items, reached through a locator. */
  @Path("/{id: [0-9]+}/lines")
  public OrderLinesResource lines(@PathParam("id") long id) {
    return new OrderLinesResource(id);
  }

  /** Sub-resource returned by {@link #lines}. */
  public static class OrderLinesResource {
    private final long orderId;

    OrderLinesResource(long orderId) {
      this.orderId = orderId;
    }

    @GET
    public List<String> list() {
      return List.of("line 1 of order " + orderId);
    }
  }
}
