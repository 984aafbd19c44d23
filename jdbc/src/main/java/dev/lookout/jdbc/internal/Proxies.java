package dev.lookout.jdbc.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The JDBC wrappers: JDK dynamic proxies over the driver's (or pool's) connection and statements,
 * so that every JDBC version's methods pass through unchanged and only the executing ones are
 * observed. Internal.
 */
public final class Proxies {

  private static final ClassLoader LOADER = Proxies.class.getClassLoader();
  private static final Class<?>[] CONNECTION = {Connection.class};
  private static final Class<?>[] STATEMENT = {Statement.class};
  private static final Class<?>[] PREPARED = {PreparedStatement.class};
  private static final Class<?>[] CALLABLE = {CallableStatement.class};

  private Proxies() {}

  /** Wraps a connection just obtained; it counts as held until closed. */
  public static Connection connection(Connection delegate, Pool pool) {
    pool.learnDatabase(delegate);
    pool.active.incrementAndGet();
    return (Connection) Proxy.newProxyInstance(LOADER, CONNECTION, new ConnectionHandler(delegate, pool));
  }

  static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause(); // the driver's exception, unchanged
    }
  }

  /** equals, hashCode and toString of a proxy, or null for any other method. */
  static Object objectMethod(Object proxy, Object delegate, Method method, Object[] args) {
    switch (method.getName()) {
      case "equals":
        return args != null && args.length == 1 && method.getParameterCount() == 1 ? proxy == args[0] : null;
      case "hashCode":
        return method.getParameterCount() == 0 ? System.identityHashCode(proxy) : null;
      case "toString":
        return method.getParameterCount() == 0 ? "Lookout[" + delegate + "]" : null;
      default:
        return null;
    }
  }

  static final class ConnectionHandler implements InvocationHandler {
    private static final AtomicIntegerFieldUpdater<ConnectionHandler> CLOSED =
        AtomicIntegerFieldUpdater.newUpdater(ConnectionHandler.class, "closed");

    final Connection delegate;
    final Pool pool;
    private volatile int closed;

    ConnectionHandler(Connection delegate, Pool pool) {
      this.delegate = delegate;
      this.pool = pool;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "createStatement": {
          Statement s = (Statement) Proxies.invoke(delegate, method, args);
          return s == null ? null : Proxy.newProxyInstance(LOADER, STATEMENT, new StatementHandler(s, (Connection) proxy, pool, null));
        }
        case "prepareStatement": {
          PreparedStatement s = (PreparedStatement) Proxies.invoke(delegate, method, args);
          return s == null ? null : Proxy.newProxyInstance(LOADER, PREPARED, prepared(s, proxy, args));
        }
        case "prepareCall": {
          CallableStatement s = (CallableStatement) Proxies.invoke(delegate, method, args);
          return s == null ? null : Proxy.newProxyInstance(LOADER, CALLABLE, prepared(s, proxy, args));
        }
        case "close":
          try {
            return Proxies.invoke(delegate, method, args);
          } finally {
            if (CLOSED.compareAndSet(this, 0, 1)) {
              pool.active.decrementAndGet();
            }
          }
        case "commit":
        case "rollback":
          return transaction(name, method, args);
        case "equals":
        case "hashCode":
        case "toString": {
          Object r = objectMethod(proxy, delegate, method, args);
          return r != null ? r : Proxies.invoke(delegate, method, args);
        }
        default:
          return Proxies.invoke(delegate, method, args);
      }
    }

    private StatementHandler prepared(Statement s, Object proxy, Object[] args) {
      SqlInfo info = null;
      try {
        info = pool.analyze(args != null && args.length > 0 && args[0] instanceof String sql ? sql : null);
      } catch (Throwable t) {
        dev.lookout.filters.internal.FailOpen.report("analysing a SQL statement", t);
      }
      return new StatementHandler(s, (Connection) proxy, pool, info);
    }

    private Object transaction(String name, Method method, Object[] args) throws Throwable {
      DbTelemetry t = DbTelemetry.current();
      Span span = t == null ? null : t.startTransactionSpan(pool, name.toUpperCase(java.util.Locale.ROOT));
      if (span == null) {
        return Proxies.invoke(delegate, method, args);
      }
      Throwable failure = null;
      Scope scope = span.makeCurrent();
      try {
        return Proxies.invoke(delegate, method, args);
      } catch (Throwable e) {
        failure = e;
        throw e;
      } finally {
        scope.close();
        DbTelemetry.endSpan(span, -1, failure);
      }
    }
  }

  static final class StatementHandler implements InvocationHandler {
    final Statement delegate;
    final Connection connection;
    final Pool pool;
    final SqlInfo prepared; // null for a plain Statement (or when analysis failed)
    private SqlInfo batchInfo; // plain Statement: the batch's statement, if all the same
    private boolean batchMixed;
    private int batchSize;
    private java.util.TreeMap<Integer, String> parameters; // only when capture is on

    StatementHandler(Statement delegate, Connection connection, Pool pool, SqlInfo prepared) {
      this.delegate = delegate;
      this.connection = connection;
      this.pool = pool;
      this.prepared = prepared;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "execute":
        case "executeQuery":
        case "executeUpdate":
        case "executeLargeUpdate":
          return execute(method, args, false);
        case "executeBatch":
        case "executeLargeBatch":
          return execute(method, args, true);
        case "addBatch":
          addBatch(args);
          return Proxies.invoke(delegate, method, args);
        case "clearBatch":
          batchInfo = null;
          batchMixed = false;
          batchSize = 0;
          return Proxies.invoke(delegate, method, args);
        case "clearParameters":
          parameters = null;
          return Proxies.invoke(delegate, method, args);
        case "getConnection":
          return connection;
        case "equals":
        case "hashCode":
        case "toString": {
          Object r = objectMethod(proxy, delegate, method, args);
          return r != null ? r : Proxies.invoke(delegate, method, args);
        }
        default:
          if (prepared != null && name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer i) {
            captureParameter(i, args[1]);
          }
          return Proxies.invoke(delegate, method, args);
      }
    }

    private void addBatch(Object[] args) {
      batchSize++;
      if (args != null && args.length == 1 && args[0] instanceof String sql) {
        try {
          SqlInfo info = pool.analyze(sql);
          if (batchInfo == null && !batchMixed) {
            batchInfo = info;
          } else if (batchInfo != info) {
            batchInfo = null;
            batchMixed = true;
          }
        } catch (Throwable t) {
          dev.lookout.filters.internal.FailOpen.report("analysing a SQL statement", t);
        }
      }
    }

    private void captureParameter(int index, Object value) {
      DbTelemetry t = DbTelemetry.current();
      if (t == null || t.tracer == null || !t.settings.captureParameters()) {
        return;
      }
      if (parameters == null) {
        parameters = new java.util.TreeMap<>();
      }
      if (parameters.size() < 100 || parameters.containsKey(index)) {
        parameters.put(index, value == null ? "null" : Pool.cut(String.valueOf(value), 256));
      }
    }

    private Object execute(Method method, Object[] args, boolean batch) throws Throwable {
      DbTelemetry t = DbTelemetry.current();
      if (t == null) {
        return Proxies.invoke(delegate, method, args);
      }
      SqlInfo info;
      int size = 0;
      try {
        if (batch) {
          size = batchSize;
          info = prepared != null ? prepared : batchInfo != null ? batchInfo : SqlInfo.MIXED_BATCH;
        } else if (args != null && args.length > 0 && args[0] instanceof String sql) {
          info = pool.analyze(sql);
        } else {
          info = prepared != null ? prepared : pool.analyze(null);
        }
      } catch (Throwable e) {
        dev.lookout.filters.internal.FailOpen.report("analysing a SQL statement", e);
        return Proxies.invoke(delegate, method, args);
      }
      Span span = t.startSpan(pool, info, batch ? Math.max(size, 1) : 0);
      if (span != null && parameters != null) {
        parameters.forEach((k, v) -> span.setAttribute("db.query.parameter." + (k - 1), v));
      }
      Scope scope = null;
      if (span != null) {
        try {
          scope = span.makeCurrent();
        } catch (Throwable e) {
          dev.lookout.filters.internal.FailOpen.report("making a database span current", e);
        }
      }
      long start = System.nanoTime();
      Object result = null;
      Throwable failure = null;
      try {
        result = Proxies.invoke(delegate, method, args);
        return result;
      } catch (Throwable e) {
        failure = e;
        throw e;
      } finally {
        long nanos = System.nanoTime() - start;
        if (batch) {
          batchInfo = null;
          batchMixed = false;
          batchSize = 0;
        }
        t.record(pool, info, nanos, rows(result), failure, span);
        if (scope != null) {
          scope.close();
        }
      }
    }

    private static long rows(Object result) {
      if (result instanceof Integer i) {
        return i;
      }
      if (result instanceof Long l) {
        return l;
      }
      if (result instanceof int[] a) {
        long sum = 0;
        for (int n : a) {
          if (n < 0) {
            return -1; // SUCCESS_NO_INFO or EXECUTE_FAILED: the driver does not say
          }
          sum += n;
        }
        return sum;
      }
      if (result instanceof long[] a) {
        long sum = 0;
        for (long n : a) {
          if (n < 0) {
            return -1;
          }
          sum += n;
        }
        return sum;
      }
      return -1;
    }
  }
}
