package dev.lookout.it;

/** Error tracking in embedded Tomcat 11. */
class TomcatErrorTrackingTest extends AbstractErrorTrackingTest {

  @Override
  protected String container() {
    return "tomcat";
  }
}
