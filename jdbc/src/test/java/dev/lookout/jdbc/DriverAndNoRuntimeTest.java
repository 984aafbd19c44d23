package dev.lookout.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The jdbc:lookout: driver, and wrappers used where no Lookout runtime runs. */
class DriverAndNoRuntimeTest {

  @Test
  void theLookoutUrlReachesTheInnerDriver() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:lookout:h2:mem:driver-test");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
      assertThat(s.getConnection()).as("the statement gives back the wrapped connection").isSameAs(c);
      assertThat(c.unwrap(org.h2.jdbc.JdbcConnection.class)).isInstanceOf(org.h2.jdbc.JdbcConnection.class);
    }
    assertThat(DriverManager.getDriver("jdbc:lookout:h2:mem:x")).isInstanceOf(LookoutDriver.class);
  }

  @Test
  void theDriverDataSourceConnectsTheLookoutUrlWithItsBeanProperties() throws Exception {
    LookoutDriverDataSource ds = new LookoutDriverDataSource();
    ds.setURL("jdbc:lookout:h2:mem:driver-ds");
    ds.setUser("sa");
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT CURRENT_USER")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualToIgnoringCase("sa");
      assertThat(c.unwrap(org.h2.jdbc.JdbcConnection.class)).isInstanceOf(org.h2.jdbc.JdbcConnection.class);
    }
    assertThat(ds.getUrl()).isEqualTo("jdbc:lookout:h2:mem:driver-ds");
  }

  @Test
  void theDriverDataSourceWithoutALookoutUrlFailsNamingTheProperty() {
    LookoutDriverDataSource ds = new LookoutDriverDataSource();
    ds.setUrl("jdbc:h2:mem:plain?password=s3cret");
    assertThatThrownBy(ds::getConnection)
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("LookoutDriverDataSource needs the property url, written as jdbc:lookout:")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void anUnknownInnerDriverFailsNamingTheFixWithoutTheRestOfTheUrl() {
    assertThatThrownBy(() -> DriverManager.getConnection("jdbc:lookout:nosuchdb://db:1234/orders?password=s3cret"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("no JDBC driver accepts the URL after jdbc:lookout: (it starts with jdbc:nosuchdb:)")
        .hasMessageContaining("Put the database's JDBC driver jar next to lookout-jdbc")
        .hasMessageContaining("jdbc:lookout:postgresql://db:5432/orders")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void withoutARuntimeNothingIsRecordedAndNothingFails() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:no-runtime");
    DataSource ds = LookoutJdbc.wrap(h2, "no-runtime");
    assertThat(LookoutJdbc.wrap(ds)).as("wrapping twice").isSameAs(ds);
    Thread t = Thread.currentThread();
    ClassLoader saved = t.getContextClassLoader();
    // a class loader no web application runs in: LookoutRuntime.current() is null
    t.setContextClassLoader(new URLClassLoader(new URL[0], null));
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      assertThat(s.execute("SELECT 1")).isTrue();
      SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> s.execute("SELEC oops"));
      assertThat(e.getClass().getName()).as("the driver's exception, unchanged").isEqualTo("org.h2.jdbc.JdbcSQLSyntaxErrorException");
      assertThat(ds.unwrap(JdbcDataSource.class)).isSameAs(h2);
    } finally {
      t.setContextClassLoader(saved);
    }
  }
}
