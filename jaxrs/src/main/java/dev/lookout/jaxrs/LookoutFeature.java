package dev.lookout.jaxrs;

import dev.lookout.jaxrs.internal.ClientPropagationFilter;
import dev.lookout.jaxrs.internal.JerseySupport;
import dev.lookout.jaxrs.internal.RouteTemplateFilter;
import dev.lookout.jaxrs.internal.Switch;
import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;

/**
 * Lookout for JAX-RS: on the server, hands each request's route template to the servlet layer
 * (metric labels, access log, span names) and makes mapped exceptions visible; on clients, adds
 * the request and trace IDs to outbound calls and times them. Registered without code in Jersey
 * and RESTEasy; on another client runtime, {@code client.register(LookoutFeature.class)}.
 *
 * <p>Switch it off with the setting {@code lookout.jaxrs.enabled=false} (context parameter, system
 * property or {@code LOOKOUT_JAXRS_ENABLED}), or for one client or application with the JAX-RS
 * configuration property of the same name.
 */
@Provider
public final class LookoutFeature implements Feature {

  @Override
  public boolean configure(FeatureContext context) {
    Configuration config = context.getConfiguration();
    if (!Switch.enabled(config.getProperty(Switch.SETTING))) {
      return false;
    }
    if (config.getRuntimeType() == RuntimeType.SERVER) {
      // Several discovery paths may reach here (service files, scanning): register once.
      if (!config.isRegistered(RouteTemplateFilter.class)) {
        context.register(RouteTemplateFilter.class);
        JerseySupport.registerEventListener(context);
      }
    } else if (!config.isRegistered(ClientPropagationFilter.class)) {
      context.register(ClientPropagationFilter.class);
      JerseySupport.registerClientFailures(context);
    }
    return true;
  }
}
