package dev.lookout.jaxrs.internal;

import dev.lookout.filters.LookoutAttributes;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.glassfish.jersey.uri.UriTemplate;

/** What Jersey offers beyond the standard: matched templates including locators, and exception events. Internal. */
public final class JerseySupport {

  private static final boolean PRESENT = isPresent();

  private JerseySupport() {}

  private static boolean isPresent() {
    try {
      Class.forName("org.glassfish.jersey.server.ExtendedUriInfo", false, JerseySupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The full template from Jersey's matched templates, or null when not on Jersey. */
  static String template(String prefix, UriInfo uriInfo) {
    if (!PRESENT || !(uriInfo instanceof ExtendedUriInfo)) {
      return null;
    }
    List<UriTemplate> matched = ((ExtendedUriInfo) uriInfo).getMatchedTemplates();
    if (matched == null || matched.isEmpty()) {
      return null;
    }
    // Jersey lists the most recent match first.
    List<String> parts = new ArrayList<>(matched.size());
    for (int i = matched.size() - 1; i >= 0; i--) {
      parts.add(matched.get(i).getTemplate());
    }
    return RouteTemplates.join(prefix, parts);
  }

  private static final boolean CLIENT_PRESENT = isClientPresent();

  private static boolean isClientPresent() {
    try {
      Class.forName("org.glassfish.jersey.client.spi.PostInvocationInterceptor", false, JerseySupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * On Jersey's client, ends the CLIENT span of a call that fails without a response; elsewhere
   * (RESTEasy) nothing, without loading any Jersey class.
   */
  public static void registerClientFailures(FeatureContext context) {
    if (CLIENT_PRESENT) {
      JerseyClientFailures.register(context);
    }
  }

  /** On Jersey, listens for exceptions that mappers turn into responses. */
  public static void registerEventListener(FeatureContext context) {
    if (PRESENT && !context.getConfiguration().isRegistered(ExceptionEvents.class)) {
      context.register(ExceptionEvents.class);
    }
  }

  /** Records the class of an exception seen during a request in {@code dev.lookout.error_type}. */
  public static final class ExceptionEvents implements ApplicationEventListener {
    private static final RequestEventListener ON_EXCEPTION =
        event -> {
          if (event.getType() == RequestEvent.Type.ON_EXCEPTION && event.getException() != null) {
            try {
              Throwable t = event.getException();
              // Jersey wraps the application's exception (MappableException and friends)
              while (t.getCause() != null && t.getClass().getName().startsWith("org.glassfish.jersey.")) {
                t = t.getCause();
              }
              event.getContainerRequest().setProperty(LookoutAttributes.ERROR_TYPE, t.getClass().getName());
            } catch (RuntimeException e) {
              // fail-open
            }
          }
        };

    @Override
    public void onEvent(ApplicationEvent event) {}

    @Override
    public RequestEventListener onRequest(RequestEvent requestEvent) {
      return ON_EXCEPTION;
    }
  }

  /** Jersey's automatic registration: one line in META-INF/services, for servers and clients. */
  @jakarta.annotation.Priority(org.glassfish.jersey.internal.spi.AutoDiscoverable.DEFAULT_PRIORITY)
  public static final class AutoDiscovery implements org.glassfish.jersey.internal.spi.AutoDiscoverable {
    @Override
    public void configure(FeatureContext context) {
      if (!context.getConfiguration().isRegistered(dev.lookout.jaxrs.LookoutFeature.class)) {
        context.register(dev.lookout.jaxrs.LookoutFeature.class);
      }
    }
  }
}
