package dev.lookout.it;

import java.util.Map;

/** The contract in Debian's standalone Tomcat 10.1 (Servlet 6.0), the WAR dropped into webapps/. */
class TomcatStandaloneTest extends AbstractContainerContractTest {

  @Override
  protected Deployment deploy(String name, Map<String, String> systemProperties) throws Exception {
    return StandaloneTomcat.start(name, systemProperties);
  }
}
