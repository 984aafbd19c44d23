package dev.lookout.log4j2;

import org.apache.logging.log4j.ThreadContext;

/** A request as lookout-filters reports it through {@link RequestLogHooks}, on the calling thread. */
final class TestRequest {

  final String id;
  final Object state;
  private Object token;

  private TestRequest(String id, String samplingKey, boolean keepAll) {
    this.id = id;
    ThreadContext.put("request_id", id);
    this.state = RequestLogHooks.requestStarted(id, samplingKey, keepAll);
    this.token = RequestLogHooks.requestResumed(state);
  }

  static TestRequest start(String id) {
    return new TestRequest(id, id, false);
  }

  static TestRequest start(String id, String samplingKey, boolean keepAll) {
    return new TestRequest(id, samplingKey, keepAll);
  }

  /** Another request takes this thread for a while. */
  void suspend() {
    RequestLogHooks.requestSuspended(token);
    token = null;
    ThreadContext.remove("request_id");
  }

  void resume() {
    ThreadContext.put("request_id", id);
    token = RequestLogHooks.requestResumed(state);
  }

  /** Completing, then (as lookout-filters does) asks whether the access event is kept, then ended. */
  boolean end(int status) {
    RequestLogHooks.requestCompleting(state, id, status, "GET", "/test", null, null);
    boolean keepsAccessEvent = RequestLogHooks.requestKeepsInfo(state);
    RequestLogHooks.requestEnded(state);
    RequestLogHooks.requestSuspended(token);
    ThreadContext.clearMap();
    return keepsAccessEvent;
  }
}
