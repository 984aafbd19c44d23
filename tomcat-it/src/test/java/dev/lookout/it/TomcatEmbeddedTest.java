package dev.lookout.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The contract in embedded Tomcat 11 (Servlet 6.1). */
class TomcatEmbeddedTest extends AbstractContainerContractTest {

  @Override
  protected Deployment deploy(String name, Map<String, String> systemProperties) throws Exception {
    List<String> options = new ArrayList<>();
    systemProperties.forEach((k, v) -> options.add("-D" + k + "=" + v));
    return ForkedServer.start(name, options);
  }
}
