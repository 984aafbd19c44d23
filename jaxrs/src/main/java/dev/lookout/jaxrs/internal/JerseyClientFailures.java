package dev.lookout.jaxrs.internal;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.core.FeatureContext;
import org.glassfish.jersey.client.spi.PostInvocationInterceptor;

/**
 * On Jersey's client, ends the CLIENT span and records the duration of a call that failed without
 * a response (connection refused, timeout), which no standard JAX-RS filter sees. Internal.
 */
public final class JerseyClientFailures implements PostInvocationInterceptor {

  /**
   * Registers the interceptor when the client runtime is Jersey's. Called through {@link
   * JerseySupport#registerClientFailures}, which checks first: this class cannot even be loaded
   * without Jersey's client.
   */
  static void register(FeatureContext context) {
    if (!context.getConfiguration().isRegistered(JerseyClientFailures.class)) {
      context.register(JerseyClientFailures.class);
    }
  }

  @Override
  public void afterRequest(ClientRequestContext request, ClientResponseContext response) {
    // a response arrived: ClientPropagationFilter ended the call
  }

  @Override
  public void onException(ClientRequestContext request, ExceptionContext context) {
    Throwable failure = context.getThrowables().peekLast();
    ClientPropagationFilter.failed(request, failure != null ? failure : new IllegalStateException("call failed"));
  }
}
