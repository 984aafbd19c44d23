package dev.lookout.example;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lookout.jdbc.LookoutJdbc;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The embedded H2 database behind a HikariCP pool, observed by Lookout ({@link LookoutJdbc#wrap}):
 * created with the application, its schema set up at startup, the pool closed at undeploy.
 */
public final class Database implements ServletContextListener {

  private static final Logger LOG = LogManager.getLogger(Database.class);
  private static volatile DataSource dataSource;
  private HikariDataSource pool;
  private String url;

  public static DataSource dataSource() {
    DataSource ds = dataSource;
    if (ds == null) {
      throw new IllegalStateException("database not started");
    }
    return ds;
  }

  @Override
  public void contextInitialized(ServletContextEvent event) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("orders");
    config.setDataSourceClassName("org.h2.jdbcx.JdbcDataSource");
    // A name per deployment, so that a redeploy starts with a fresh database. No JVM shutdown hook
    // (DB_CLOSE_ON_EXIT): it would hold this web application's class loader after undeploy.
    url = "jdbc:h2:mem:orders-" + System.identityHashCode(this) + ";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE";
    config.addDataSourceProperty("URL", url);
    config.setMaximumPoolSize(8);
    pool = new HikariDataSource(config);
    DataSource ds = LookoutJdbc.wrap(pool);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, item VARCHAR(200) NOT NULL,"
              + " quantity INT NOT NULL)");
      s.execute("INSERT INTO orders (item, quantity) VALUES ('coffee beans', 2), ('filter papers', 1)");
      // for the slow-query demo: a statement that takes as long as asked
      s.execute("CREATE ALIAS SLEEP FOR 'java.lang.Thread.sleep(long)'");
    } catch (SQLException e) {
      pool.close();
      throw new IllegalStateException("could not create the orders schema", e);
    }
    dataSource = ds;
    LOG.info("orders database ready");
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    dataSource = null;
    if (pool == null) {
      return;
    }
    // The pool first: a pool still open would replace the connections SHUTDOWN ends, and so
    // open a new, empty database that nothing ever closes.
    pool.close();
    JdbcDataSource direct = new JdbcDataSource();
    direct.setURL(url);
    try (Connection c = direct.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      LOG.warn("could not shut the database down cleanly", e);
    }
  }
}
