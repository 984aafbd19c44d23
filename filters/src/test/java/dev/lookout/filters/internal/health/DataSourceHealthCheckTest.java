package dev.lookout.filters.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.filters.health.HealthCheckResult;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DataSource readiness check against a real H2 database, found through JNDI. */
class DataSourceHealthCheckTest {

  /** The only stand-in: a JNDI directory (the container's job) holding real DataSources. */
  static final Map<String, Object> BINDINGS = new ConcurrentHashMap<>();

  private String previousFactory;

  @BeforeEach
  void useTestDirectory() {
    previousFactory = System.getProperty(Context.INITIAL_CONTEXT_FACTORY);
    System.setProperty(Context.INITIAL_CONTEXT_FACTORY, Directory.class.getName());
  }

  @AfterEach
  void restore() {
    if (previousFactory == null) {
      System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
    } else {
      System.setProperty(Context.INITIAL_CONTEXT_FACTORY, previousFactory);
    }
    BINDINGS.clear();
  }

  @Test
  void upWhenTheDatabaseAnswers() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:health;DB_CLOSE_DELAY=-1");
    BINDINGS.put("java:comp/env/jdbc/orders", ds);
    HealthCheckResult r = new DataSourceHealthCheck("java:comp/env/jdbc/orders", Duration.ofSeconds(2)).check();
    assertThat(r.isUp()).isTrue();
    assertThat(r.data()).containsEntry("jndi", "java:comp/env/jdbc/orders");
  }

  @Test
  void downWhenNothingIsBound() throws Exception {
    HealthCheckResult r = new DataSourceHealthCheck("java:comp/env/jdbc/missing", Duration.ofSeconds(2)).check();
    assertThat(r.isUp()).isFalse();
    assertThat(r.data().get("reason").toString()).contains("java:comp/env/jdbc/missing");
  }

  @Test
  void throwsWhenTheDatabaseIsUnreachableSoTheEvaluatorReportsDown() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:nope;IFEXISTS=TRUE");
    BINDINGS.put("jdbc/gone", ds);
    DataSourceHealthCheck check = new DataSourceHealthCheck("jdbc/gone", Duration.ofSeconds(2));
    org.assertj.core.api.Assertions.assertThatThrownBy(check::check).isInstanceOf(java.sql.SQLException.class);
  }

  /** JNDI directory backed by {@link #BINDINGS}. */
  public static final class Directory implements InitialContextFactory {
    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
      return (Context)
          java.lang.reflect.Proxy.newProxyInstance(
              Directory.class.getClassLoader(),
              new Class<?>[] {Context.class},
              (proxy, method, args) -> {
                if (method.getName().equals("lookup") && args[0] instanceof String name) {
                  Object o = BINDINGS.get(name);
                  if (o == null) {
                    throw new javax.naming.NameNotFoundException(name);
                  }
                  return o;
                }
                if (method.getName().equals("close")) {
                  return null;
                }
                throw new NamingException("not supported: " + method.getName());
              });
    }
  }
}
