package dev.lookout.it;

import java.util.Map;

/** The contract in WildFly 39 (Jakarta EE 11), the unchanged example WAR in deployments/. */
class WildFlyTest extends AbstractContainerContractTest {

  @Override
  protected boolean keepsHeadersOnUnhandledException() {
    return false; // Undertow resets the response for its error page
  }

  @Override
  protected Deployment deploy(String name, Map<String, String> systemProperties) throws Exception {
    return WildFlyServer.start(name, systemProperties);
  }
}
