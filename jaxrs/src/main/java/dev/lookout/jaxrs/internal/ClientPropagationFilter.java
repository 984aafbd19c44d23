package dev.lookout.jaxrs.internal;

import dev.lookout.filters.internal.LookoutRuntime;
import dev.lookout.filters.internal.client.OutboundCalls;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;

/**
 * Outbound JAX-RS calls through the web application's {@link OutboundCalls}: its headers, CLIENT
 * span and {@code http_client_request_duration_seconds}. A call that fails without a response is
 * ended by {@link JerseySupport}'s invocation interceptor on Jersey. Internal.
 */
@Priority(Priorities.HEADER_DECORATOR)
public final class ClientPropagationFilter implements ClientRequestFilter, ClientResponseFilter {

  static final String CALL = "dev.lookout.client.call";

  @Override
  public void filter(ClientRequestContext request) {
    try {
      OutboundCalls calls = calls();
      if (calls == null) {
        return;
      }
      OutboundCalls.Call call =
          calls.start(
              request.getMethod(),
              request.getUri(),
              (name, value) -> {
                if (!request.getHeaders().containsKey(name)) {
                  request.getHeaders().putSingle(name, value);
                }
              });
      request.setProperty(CALL, call);
    } catch (RuntimeException | LinkageError e) {
      // fail-open: the call goes out without Lookout's headers
    }
  }

  @Override
  public void filter(ClientRequestContext request, ClientResponseContext response) {
    try {
      Object call = request.getProperty(CALL);
      if (call instanceof OutboundCalls.Call c) {
        c.end(response.getStatus());
      }
    } catch (RuntimeException | LinkageError e) {
      // fail-open
    }
  }

  /** The call failed without a response. */
  static void failed(ClientRequestContext request, Throwable failure) {
    try {
      Object call = request.getProperty(CALL);
      if (call instanceof OutboundCalls.Call c) {
        c.fail(failure);
      }
    } catch (RuntimeException | LinkageError e) {
      // fail-open
    }
  }

  private static OutboundCalls calls() {
    LookoutRuntime runtime = LookoutRuntime.current();
    return runtime != null ? runtime.outboundCalls() : OutboundCalls.standalone();
  }
}
