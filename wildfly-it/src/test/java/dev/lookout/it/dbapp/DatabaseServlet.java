package dev.lookout.it.dbapp;

import dev.lookout.jdbc.LookoutJdbc;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The servlet of a small web application deployed in WildFly by the tests, one path per way of
 * reaching a database there: {@code /app} the application's own {@code <data-source>} of web.xml
 * ({@code java:app/jdbc/orders}, a {@code jdbc:lookout:} URL), {@code /server} WildFly's {@code
 * ExampleDS} wrapped by {@link LookoutJdbc#wrap} (pool {@code example}, n connections held at once),
 * {@code /agroal} the same with a datasource of WildFly's {@code datasources-agroal} (pool {@code agroal}), {@code /drivers} the JDBC
 * drivers this application's class loader registered.
 */
public class DatabaseServlet extends HttpServlet {

  private volatile DataSource example;
  private volatile DataSource agroal;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    int n = req.getParameter("n") == null ? 1 : Integer.parseInt(req.getParameter("n"));
    try {
      switch (path) {
        case "/app" -> resp.getWriter().write(queries(lookup("java:app/jdbc/orders"), "items", n));
        case "/server" -> resp.getWriter().write(held(example(), n));
        case "/agroal" -> resp.getWriter().write(held(agroal(), n));
        case "/drivers" -> resp.getWriter().write(drivers());
        default -> resp.sendError(404);
      }
    } catch (SQLException | NamingException e) {
      throw new ServletException(e);
    }
  }

  private DataSource example() throws NamingException {
    DataSource ds = example;
    if (ds == null) {
      synchronized (this) {
        if (example == null) {
          example = LookoutJdbc.wrap(lookup("java:jboss/datasources/ExampleDS"), "example");
        }
        ds = example;
      }
    }
    return ds;
  }

  private DataSource agroal() throws NamingException {
    DataSource ds = agroal;
    if (ds == null) {
      synchronized (this) {
        if (agroal == null) {
          agroal = LookoutJdbc.wrap(lookup("java:jboss/datasources/AgroalDS"), "agroal");
        }
        ds = agroal;
      }
    }
    return ds;
  }

  private static DataSource lookup(String name) throws NamingException {
    InitialContext naming = new InitialContext();
    try {
      return (DataSource) naming.lookup(name);
    } finally {
      naming.close();
    }
  }

  /** n selects on one connection. */
  private static String queries(DataSource ds, String table, int n) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + table + " (id INT PRIMARY KEY)");
      long rows = 0;
      for (int i = 0; i < n; i++) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
          rs.next();
          rows += rs.getLong(1);
        }
      }
      return n + " selects, " + rows + " rows";
    }
  }

  /** n connections held at once, one select on each, then all returned to the pool. */
  private static String held(DataSource ds, int n) throws SQLException {
    List<Connection> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        Connection c = ds.getConnection();
        held.add(c);
        try (Statement s = c.createStatement()) {
          if (i == 0) {
            s.execute("CREATE TABLE IF NOT EXISTS stock (id INT PRIMARY KEY)");
          }
          try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM stock")) {
            rs.next();
          }
        }
      }
      return n + " connections";
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
  }

  /**
   * The drivers this application's class loader registered, as DriverManager prints them; from now
   * on DriverManager logs to stdout, so that what it deregisters at undeploy is in the server log.
   */
  private String drivers() {
    DriverManager.setLogWriter(new PrintWriter(System.out, true));
    StringBuilder out = new StringBuilder();
    ClassLoader own = getClass().getClassLoader();
    for (Enumeration<Driver> e = DriverManager.getDrivers(); e.hasMoreElements(); ) {
      Driver d = e.nextElement();
      if (d.getClass().getClassLoader() == own) {
        out.append(d).append('\n');
      }
    }
    return out.toString();
  }
}
