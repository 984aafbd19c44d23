package dev.lookout.example;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Database habits Lookout makes visible: a slow statement, an N+1 loop, a broken query. */
@Path("/db")
@Produces(MediaType.TEXT_PLAIN)
public class DatabaseDemoResource {

  private static final long MAX_SLEEP_MS = 10_000;

  /** One statement that takes {@code ms} milliseconds: logged as {@code slow_query} past the threshold. */
  @GET
  @Path("/slow")
  public String slow(@QueryParam("ms") @DefaultValue("600") long ms) throws SQLException {
    long bounded = Math.max(0, Math.min(ms, MAX_SLEEP_MS));
    try (Connection c = Database.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("CALL SLEEP(?)")) {
      s.setLong(1, bounded);
      s.execute();
    }
    return "slow statement took " + bounded + " ms\n";
  }

  /** The N+1 pattern: one query for the IDs, then one query per order (one join would do). */
  @GET
  @Path("/n-plus-one")
  public String nPlusOne() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = Database.dataSource().getConnection()) {
      List<Long> ids = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM orders ORDER BY id")) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      for (long id : ids) {
        try (PreparedStatement s = c.prepareStatement("SELECT item, quantity FROM orders WHERE id = ?")) {
          s.setLong(1, id);
          try (ResultSet rs = s.executeQuery()) {
            if (rs.next()) {
              out.append(rs.getString(1)).append(" x").append(rs.getInt(2)).append('\n');
            }
          }
        }
      }
    }
    return out.toString();
  }

  /** A query against a table that does not exist: the SQLException reaches the caller as a 500. */
  @GET
  @Path("/broken")
  public String broken() throws SQLException {
    try (Connection c = Database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM invoices WHERE customer = 'acme'")) {
      return rs.next() ? "found\n" : "none\n";
    }
  }
}
