package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A datasource of WildFly's {@code datasources-agroal} subsystem (added by the CLI, as an operator
 * switches to Agroal), looked up and wrapped in code: its pool's max and idle counts come from
 * Agroal's own API inside WildFly. The test application of {@link WildFlyDatabaseTest}, without a
 * {@code <data-source>} of its own.
 */
class WildFlyAgroalTest {

  static final List<String> CLI = List.of(
      "/extension=org.wildfly.extension.datasources-agroal:add",
      "/subsystem=datasources-agroal:add",
      "/subsystem=datasources-agroal/driver=h2:add(module=com.h2database.h2, class=org.h2.Driver)",
      "/subsystem=datasources-agroal/datasource=AgroalDS:add(jndi-name=java:jboss/datasources/AgroalDS,"
          + " statistics-enabled=true, connection-factory={driver=h2, url=\"jdbc:h2:mem:agroal;DB_CLOSE_DELAY=-1\","
          + " username=sa, password=sa}, connection-pool={max-size=6})");

  @Test
  void anAgroalDataSourceOfWildFlyHasItsPoolCountsFromAgroal() throws Exception {
    try (WildFlyServer server = WildFlyServer.start("wildfly-agroal", Map.of(), WildFlyDatabaseTest.war("agroal", null), CLI)) {
      URI app = server.base();
      assertThat(WildFlyDatabaseTest.get(app, "/db/agroal").body()).isEqualTo("1 connections");
      WildFlyDatabaseTest.Metrics m = WildFlyDatabaseTest.Metrics.of(app);
      m.is("db_connections_max{pool=\"agroal\"}", 6);
      m.is("db_connections_idle{pool=\"agroal\"}", 1);
      m.is("db_connections_active{pool=\"agroal\"}", 0);

      assertThat(WildFlyDatabaseTest.get(app, "/db/agroal?n=3").body()).isEqualTo("3 connections");
      m = WildFlyDatabaseTest.Metrics.of(app);
      m.is("db_queries_total{operation=\"SELECT\",outcome=\"ok\",table=\"stock\"}", 4);
      m.is("db_connection_wait_seconds_count{pool=\"agroal\"}", 4);
      m.is("db_connections_idle{pool=\"agroal\"}", 3);
      m.is("db_connections_active{pool=\"agroal\"}", 0);
    }
  }
}
