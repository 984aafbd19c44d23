package dev.lookout.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The contract in embedded Jetty 12, ee10 (Servlet 6.0). */
class JettyEe10Test extends AbstractContainerContractTest {

  @Override
  protected Deployment deploy(String name, Map<String, String> systemProperties) throws Exception {
    List<String> options = new ArrayList<>();
    systemProperties.forEach((k, v) -> options.add("-D" + k + "=" + v));
    return ForkedServer.start(name, options);
  }
}
