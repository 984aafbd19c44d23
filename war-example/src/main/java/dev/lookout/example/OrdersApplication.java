package dev.lookout.example;

import jakarta.ws.rs.core.Application;
import java.util.Set;

/** The JAX-RS application, mapped at {@code /api/*} in web.xml. */
public class OrdersApplication extends Application {
  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(OrdersResource.class, DemoResource.class, DatabaseDemoResource.class, CheckoutResource.class);
  }
}
