package dev.lookout.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.message.StringMapMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LookoutSamplingFilterTest {

  @AfterEach
  void clearContext() {
    ThreadContext.clearAll();
  }

  static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong());
  }

  @Test
  void ratesHoldAndEachRequestIsLoggedFullyOrNotAtAll() throws Exception {
    int requests = 100_000;
    try (LogHarness h = LogHarness.start("rates", Map.of("t.infoRate", "0.1", "t.warnRate", "0.5"))) {
      Logger log = h.logger("app");
      for (int i = 0; i < requests; i++) {
        TestRequest r = TestRequest.start(newId());
        log.info("first {}", i);
        log.info("second {}", i);
        log.warn("careful {}", i);
        r.end(200);
      }
      Map<String, int[]> perRequest = new HashMap<>();
      for (JsonNode n : h.lines()) {
        int[] c = perRequest.computeIfAbsent(n.path("request_id").asText(), k -> new int[2]);
        c[n.path("level").asText().equals("INFO") ? 0 : 1]++;
      }
      int infoKept = 0;
      int warnKept = 0;
      for (int[] c : perRequest.values()) {
        assertThat(c[0]).as("INFO lines of one request").isIn(0, 2);
        assertThat(c[1]).as("WARN lines of one request").isIn(0, 1);
        if (c[0] == 2) {
          infoKept++;
          assertThat(c[1]).as("a request kept at INFO is kept at WARN").isEqualTo(1);
        }
        warnKept += c[1];
      }
      // binomial: mean ± 5 standard deviations
      assertThat(infoKept).isBetween(10_000 - 475, 10_000 + 475);
      assertThat(warnKept).isBetween(50_000 - 791, 50_000 + 791);
    }
  }

  @Test
  void exportedSampledTracesAndForcedRequestsKeepEverything() throws Exception {
    try (LogHarness h = LogHarness.start("traces", Map.of("t.infoRate", "0", "t.warnRate", "0"))) {
      Logger log = h.logger("app");
      for (int i = 0; i < 200; i++) {
        // lookout-filters says keepAll only for a sampled trace whose spans are exported
        TestRequest r = TestRequest.start(newId(), newId(), i % 2 == 0);
        log.info("traced {}", i);
        r.end(200);
      }
      TestRequest forced = TestRequest.start(newId());
      ThreadContext.put("log_all", "true");
      log.info("forced");
      forced.end(200);
      List<JsonNode> lines = h.lines();
      assertThat(lines).hasSize(101);
      assertThat(lines.get(100).path("message").asText()).isEqualTo("forced");
    }
  }

  @Test
  void aSampledTraceFlagAloneDoesNotKeepEveryEvent() throws Exception {
    // Out of the box every trace is sampled (always_on) but no span leaves the process: the
    // documented log sample must hold. A request's decision comes from lookout-filters; on a thread
    // without a request, the trace flag in the log context is not a reason to keep everything.
    try (LogHarness h = LogHarness.start("flags", Map.of("t.infoRate", "0", "t.warnRate", "0"))) {
      Logger log = h.logger("app");
      for (int i = 0; i < 200; i++) {
        ThreadContext.put("request_id", newId());
        ThreadContext.put("trace_id", newId());
        ThreadContext.put("trace_flags", "01");
        log.info("background {}", i);
        ThreadContext.clearMap();
      }
      assertThat(h.lines()).isEmpty();
    }
  }

  @Test
  void anErrorOnABackgroundThreadLeavesNothingBehindForItsRequestId() throws Exception {
    // Background work that copied a request's context and logs errors: nothing is remembered per
    // request ID (there is no table to grow), so its later events are sampled as usual.
    try (LogHarness h = LogHarness.start("background", Map.of("t.infoRate", "0", "t.requestBufferBytes", "65536",
        "t.totalBufferBytes", "1048576"))) {
      Logger log = h.logger("app");
      for (int i = 0; i < 2_000; i++) {
        ThreadContext.put("request_id", "copied-" + i);
        log.error("background failure {}", i);
        log.info("after the failure {}", i);
        ThreadContext.clearMap();
      }
      assertThat(h.lines()).extracting(n -> n.path("level").asText()).containsOnly("ERROR").hasSize(2_000);
    }
  }

  @Test
  void infoIsCappedPerSecondByATokenBucket() throws Exception {
    try (LogHarness h = LogHarness.start("rate", Map.of("t.infoPerSecond", "100"))) {
      Logger log = h.logger("app");
      for (int i = 0; i < 1_000; i++) {
        log.info("burst {}", i);
      }
      assertThat(h.lines()).hasSize(100);
      h.nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(500)); // half a second refills half the bucket
      for (int i = 0; i < 1_000; i++) {
        log.info("later {}", i);
      }
      assertThat(h.lines()).hasSize(150);
      for (int i = 0; i < 10; i++) {
        log.warn("warnings are not limited {}", i);
      }
      assertThat(h.lines()).hasSize(160);
      assertThat(RequestLogHooks.droppedEventCounts().get("INFO")).containsKey("rate_limited");
    }
  }

  @Test
  void aRepeatedMessageIsKeptOncePerWindowInBoundedMemory() throws Exception {
    try (LogHarness h = LogHarness.start("dup", Map.of("t.duplicateWindowSeconds", "60"))) {
      Logger log = h.logger("app");
      for (int i = 0; i < 10; i++) {
        log.warn("disk {} is full", "/var");
      }
      log.warn("another message");
      assertThat(h.lines()).hasSize(2);
      h.nanos.addAndGet(TimeUnit.SECONDS.toNanos(61));
      log.warn("disk {} is full", "/var");
      assertThat(h.lines()).hasSize(3);
      // many distinct messages: all kept, and the table does not grow
      for (int i = 0; i < 100_000; i++) {
        log.info("distinct " + i);
      }
      assertThat(h.lines()).hasSize(100_003);
    }
  }

  @Test
  void mapMessagesAreNeverTakenForDuplicatesOfEachOther() throws Exception {
    try (LogHarness h = LogHarness.start("dup-maps", Map.of("t.duplicateWindowSeconds", "60"))) {
      Logger log = h.logger("business");
      TestRequest r = TestRequest.start("shared-id");
      log.info(new StringMapMessage().with("event", "order_created").with("order_id", "1"));
      log.info(new StringMapMessage().with("event", "payment_taken").with("order_id", "1"));
      r.end(200);
      // another request with the same (propagated) request ID writes its own map messages too
      TestRequest again = TestRequest.start("shared-id");
      log.info(new StringMapMessage().with("event", "order_created").with("order_id", "2"));
      again.end(200);
      assertThat(h.lines()).extracting(n -> n.path("event").asText())
          .containsExactly("order_created", "payment_taken", "order_created");
    }
  }

  @Test
  void eventsTheLevelDisablesAreNeverCounted() throws Exception {
    try (LogHarness h = LogHarness.start("level", Map.of("t.infoRate", "0"))) {
      Map<String, Map<String, Long>> before = RequestLogHooks.droppedEventCounts();
      Logger quiet = h.logger("quiet"); // level WARN
      for (int i = 0; i < 100; i++) {
        quiet.info("never enabled {}", i);
        quiet.debug("never enabled");
      }
      assertThat(RequestLogHooks.droppedEventCounts()).isEqualTo(before);
      h.logger("app").info("sampled out");
      assertThat(RequestLogHooks.droppedEventCounts()).isNotEqualTo(before);
    }
  }

  @Test
  void droppedEventsOfAFailingRequestAreWrittenInOrderAndOnlyThose() throws Exception {
    Map<String, String> p =
        Map.of("t.infoRate", "0", "t.warnRate", "0", "t.requestBufferBytes", "65536", "t.totalBufferBytes", "1048576");
    try (LogHarness h = LogHarness.start("flush", p)) {
      Logger log = h.logger("app");
      // A: logs an ERROR -> its earlier lines are flushed, then the error, then everything after
      TestRequest a = TestRequest.start("A");
      log.info("a1");
      log.warn("a2");
      a.suspend();
      TestRequest b = TestRequest.start("B"); // another request interleaved on this thread
      log.info("b1");
      b.suspend();
      a.resume();
      log.info("a3");
      log.error("a-error", new IllegalStateException("boom"));
      log.info("a4-after-error");
      assertThat(a.end(500)).as("a failed request's access event is kept").isTrue();
      // B ends well: discarded
      b.resume();
      log.info("b2");
      assertThat(b.end(200)).as("the sample decides a good request's access event").isFalse();
      // C ends with a 5xx without logging an error: flushed as it completes
      TestRequest c = TestRequest.start("C");
      log.info("c1");
      log.info("c2");
      c.end(503);
      // D: a 404 is not a failure
      TestRequest d = TestRequest.start("D");
      log.info("d1");
      d.end(404);

      List<JsonNode> lines = h.lines();
      assertThat(lines).extracting(n -> n.path("message").asText())
          .containsExactly("a1", "a2", "a3", "a-error", "a4-after-error", "c1", "c2");
      assertThat(lines.subList(0, 3)).allSatisfy(n -> assertThat(n.path("flushed").asText()).isEqualTo("true"));
      assertThat(lines.get(3).has("flushed")).isFalse();
      assertThat(lines.get(3).path("error").path("type").asText()).isEqualTo("java.lang.IllegalStateException");
      assertThat(lines.subList(5, 7)).allSatisfy(n -> {
        assertThat(n.path("flushed").asText()).isEqualTo("true");
        assertThat(n.path("request_id").asText()).isEqualTo("C");
      });
      assertThat(dev.lookout.log4j2.internal.RequestState.totalBuffered()).isZero();
    }
  }

  @Test
  void aFailedRequestsBufferedLinesComeBeforeItsAccessEvent() throws Exception {
    Map<String, String> p =
        Map.of("t.infoRate", "0", "t.warnRate", "0", "t.requestBufferBytes", "65536", "t.totalBufferBytes", "1048576");
    try (LogHarness h = LogHarness.start("completion", p)) {
      Logger access = h.logger("lookout.access");
      Logger app = h.logger("app");
      // a 503 without an ERROR: completing writes the buffer, then the access event passes the sample
      TestRequest bad = TestRequest.start("bad");
      app.info("before the failure");
      RequestLogHooks.requestCompleting(bad.state, "bad", 503, "GET", "/x", null, null);
      assertThat(RequestLogHooks.requestKeepsInfo(bad.state)).isTrue();
      access.info(new StringMapMessage().with("event", "request_completed").with("status", 503));
      RequestLogHooks.requestEnded(bad.state);
      bad.end(503);
      // a good request: its access event is not in the sample, counted without being built
      Map<String, Map<String, Long>> before = RequestLogHooks.droppedEventCounts();
      TestRequest ok = TestRequest.start("ok");
      assertThat(ok.end(200)).isFalse();
      assertThat(RequestLogHooks.droppedEventCounts().get("INFO").get("sampled"))
          .isEqualTo(before.getOrDefault("INFO", Map.of()).getOrDefault("sampled", 0L) + 1);

      List<JsonNode> lines = h.lines();
      assertThat(lines).extracting(n -> n.path("message").asText()).first().isEqualTo("before the failure");
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0).path("flushed").asText()).isEqualTo("true");
      assertThat(lines.get(1).path("event").asText()).isEqualTo("request_completed");
      assertThat(lines.get(1).path("status").asInt()).isEqualTo(503);
    }
  }

  @Test
  void eventsLoggedWhileARequestCompletesWellAreNotBuffered() throws Exception {
    Map<String, String> p =
        Map.of("t.infoRate", "0", "t.requestBufferBytes", "65536", "t.totalBufferBytes", "1048576");
    try (LogHarness h = LogHarness.start("late", p)) {
      TestRequest r = TestRequest.start("late");
      RequestLogHooks.requestCompleting(r.state, "late", 200, "GET", "/x", null, null);
      h.logger("app").info("logged after completing");
      assertThat(dev.lookout.log4j2.internal.RequestState.totalBuffered()).isZero();
      r.end(200);
      assertThat(h.lines()).isEmpty();
    }
  }

  @Test
  void buffersAreBoundedPerRequestAndInTotal() throws Exception {
    Map<String, String> p =
        Map.of("t.infoRate", "0", "t.requestBufferBytes", "4096", "t.totalBufferBytes", "65536");
    try (LogHarness h = LogHarness.start("bounded", p)) {
      Logger log = h.logger("app");
      TestRequest big = TestRequest.start("big");
      for (int i = 0; i < 1_000; i++) {
        log.info("line {} {}", i, "x".repeat(100));
      }
      big.end(500);
      List<JsonNode> lines = h.lines();
      // only the newest lines that fit in 4 KiB survive, still in order
      assertThat(lines.size()).isBetween(1, 15);
      assertThat(lines.get(lines.size() - 1).path("message").asText()).startsWith("line 999 ");
      // many requests open at once cannot hold more than the total between them
      java.util.List<TestRequest> open = new java.util.ArrayList<>();
      for (int r = 0; r < 1_000; r++) {
        TestRequest t = TestRequest.start("open-" + r);
        log.info("pending {} {}", r, "y".repeat(100));
        t.suspend();
        open.add(t);
      }
      assertThat(dev.lookout.log4j2.internal.RequestState.totalBuffered()).isLessThanOrEqualTo(65_536);
      assertThat(RequestLogHooks.droppedEventCounts().get("INFO")).containsKey("buffer_evicted");
      for (TestRequest t : open) {
        t.resume();
        t.end(200);
      }
      assertThat(dev.lookout.log4j2.internal.RequestState.totalBuffered()).isZero();
    }
  }

  @Test
  void aPeriodicWarningSumsUpWhatWasDropped() throws Exception {
    Map<String, String> p = Map.of("t.infoRate", "0", "t.summaryIntervalSeconds", "1");
    try (LogHarness h = LogHarness.start("summary", p)) {
      for (int i = 0; i < 50; i++) {
        h.logger("app").info("dropped {}", i);
      }
      JsonNode summary = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (summary == null && System.nanoTime() < deadline) {
        for (JsonNode n : h.lines()) {
          if (n.path("logger").asText().equals(LookoutSamplingFilter.SUMMARY_LOGGER)) {
            summary = n;
          }
        }
        Thread.sleep(50);
      }
      assertThat(summary).as("summary line").isNotNull();
      assertThat(summary.path("level").asText()).isEqualTo("WARN");
      assertThat(summary.path("message").asText()).contains("INFO sampled=");
      assertThat(summary.path("thread").asText()).isEqualTo("lookout-log-summary");
    } finally {
      System.clearProperty("t.summaryIntervalSeconds");
    }
  }

  @Test
  void hooksAreSafeWithoutTheFilterAndWithForeignArguments() {
    Object state = RequestLogHooks.requestStarted("no-filter", null, false);
    RequestLogHooks.requestSuspended(RequestLogHooks.requestResumed(state));
    RequestLogHooks.requestCompleting(state, "no-filter", 500, "GET", "/", null, null);
    assertThat(RequestLogHooks.requestKeepsInfo(state)).isTrue();
    RequestLogHooks.requestEnded(state);
    RequestLogHooks.requestCompleting("not a state", null, 500, null, null, null, null);
    RequestLogHooks.requestEnded(null);
    RequestLogHooks.requestSuspended(RequestLogHooks.requestResumed(42));
    assertThat(dev.lookout.log4j2.internal.RequestState.current()).isNull();
    assertThat(RequestLogHooks.droppedEventCounts()).isNotNull();
  }

  @Test
  void onAnAppenderTheFilterSamplesToo() throws Exception {
    try (LogHarness h = LogHarness.start("appender", Map.of("t.infoRate", "1"), "/lookout-appender-test.xml")) {
      Logger log = h.logger("app");
      int requests = 2_000;
      for (int i = 0; i < requests; i++) {
        ThreadContext.put("request_id", newId());
        log.info("on an appender {}", i);
        log.error("errors always pass {}", i);
        ThreadContext.clearMap();
      }
      List<JsonNode> lines = h.lines();
      long info = lines.stream().filter(n -> n.path("level").asText().equals("INFO")).count();
      assertThat(lines.size() - info).isEqualTo(requests);
      // infoRate 0.1 on the appender's filter: binomial mean ± 5 sd
      assertThat(info).isBetween(200L - 67, 200L + 67);
    }
  }

  @Test
  void accessLogStyleMapMessagesAreSampledPerRequestToo() throws Exception {
    try (LogHarness h = LogHarness.start("map", Map.of("t.infoRate", "0.5"))) {
      Logger log = h.logger("lookout.access");
      for (int i = 0; i < 2_000; i++) {
        TestRequest r = TestRequest.start(newId());
        log.info(new StringMapMessage().with("event", "request_completed").with("status", "200"));
        r.end(200);
      }
      int kept = h.lines().size();
      assertThat(kept).isBetween(1_000 - 112, 1_000 + 112);
    }
  }
}
