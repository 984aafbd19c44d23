package dev.lookout.it;

/** Error tracking in embedded Jetty 12 (ee10). */
class JettyErrorTrackingTest extends AbstractErrorTrackingTest {

  @Override
  protected String container() {
    return "jetty";
  }
}
