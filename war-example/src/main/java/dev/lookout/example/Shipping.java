package dev.lookout.example;

import dev.lookout.filters.Flow;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The shipping thread of the checkout, started with the web application and stopped with it: a
 * thread left running after undeploy would keep the old web application's classes in memory.
 */
public class Shipping implements ServletContextListener {

  private static volatile ExecutorService threads;
  private static volatile Executor executor;

  /** Where checkout hands shipping to; {@link Flow#wrap} carries the flow and request context there. */
  static Executor executor() {
    Executor e = executor;
    if (e == null) {
      throw new IllegalStateException("the web application is not started");
    }
    return e;
  }

  @Override
  public void contextInitialized(ServletContextEvent event) {
    threads =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "example-shipping");
              t.setDaemon(true);
              return t;
            });
    executor = Flow.wrap(threads);
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    ExecutorService t = threads;
    executor = null;
    threads = null;
    if (t != null) {
      t.shutdown();
      try {
        if (!t.awaitTermination(5, TimeUnit.SECONDS)) {
          t.shutdownNow();
        }
      } catch (InterruptedException e) {
        t.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
