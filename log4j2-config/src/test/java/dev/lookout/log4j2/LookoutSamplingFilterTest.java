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
        ThreadContext.put("request_id", newId());
        log.info("first {}", i);
        log.info("second {}", i);
        log.warn("careful {}", i);
        ThreadContext.clearMap();
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
  void sampledTracesAndForcedRequestsKeepEverything() throws Exception {
    try (LogHarness h = LogHarness.start("traces", Map.of("t.infoRate", "0", "t.warnRate", "0"))) {
      Logger log = h.logger("app");
      for (int i = 0; i < 200; i++) {
        ThreadContext.put("request_id", newId());
        ThreadContext.put("trace_id", newId());
        ThreadContext.put("trace_flags", i % 2 == 0 ? "01" : "00");
        log.info("traced {}", i);
        ThreadContext.clearMap();
      }
      ThreadContext.put("request_id", newId());
      ThreadContext.put("log_all", "true");
      log.info("forced");
      ThreadContext.clearMap();
      List<JsonNode> lines = h.lines();
      assertThat(lines).hasSize(101);
      assertThat(lines.subList(0, 100)).allSatisfy(n -> assertThat(n.path("trace_flags").asText()).isEqualTo("01"));
      assertThat(lines.get(100).path("message").asText()).isEqualTo("forced");
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
      ThreadContext.put("request_id", "A");
      log.info("a1");
      log.warn("a2");
      ThreadContext.put("request_id", "B"); // another request interleaved on this thread
      log.info("b1");
      ThreadContext.put("request_id", "A");
      log.info("a3");
      log.error("a-error", new IllegalStateException("boom"));
      log.info("a4-after-error");
      RequestLogHooks.requestEnded("A", 500);
      // B ends well: discarded
      ThreadContext.put("request_id", "B");
      log.info("b2");
      RequestLogHooks.requestEnded("B", 200);
      // C ends with a 5xx without logging an error: flushed at the end
      ThreadContext.put("request_id", "C");
      log.info("c1");
      log.info("c2");
      RequestLogHooks.requestEnded("C", 503);
      // D: a 404 is not a failure
      ThreadContext.put("request_id", "D");
      log.info("d1");
      RequestLogHooks.requestEnded("D", 404);
      ThreadContext.clearMap();

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
      assertThat(h.filter().buffers().size()).isZero();
    }
  }

  @Test
  void theAccessEventEndingARequestIsDecidedAtOnceNeverCopiedIntoTheBuffer() throws Exception {
    Map<String, String> p =
        Map.of("t.infoRate", "0", "t.warnRate", "0", "t.requestBufferBytes", "65536", "t.totalBufferBytes", "1048576");
    try (LogHarness h = LogHarness.start("completion", p)) {
      Logger access = h.logger("lookout.access");
      Logger app = h.logger("app");
      // a request that ends well: its completion line is dropped, and no buffer is opened for it
      ThreadContext.put("request_id", "ok");
      access.info(new StringMapMessage().with("event", "request_completed").with("status", 200));
      assertThat(h.filter().buffers().size()).isZero();
      RequestLogHooks.requestEnded("ok", 200);
      // a 503: the completion line is written at once, the request's dropped lines with it at its end
      ThreadContext.put("request_id", "bad");
      app.info("before the failure");
      access.info(new StringMapMessage().with("event", "request_completed").with("status", 503));
      RequestLogHooks.requestEnded("bad", 503);
      // other lookout.access events are buffered as usual (status as text, too)
      ThreadContext.put("request_id", "started");
      access.info(new StringMapMessage().with("event", "request_started").with("status", "200"));
      assertThat(h.filter().buffers().size()).isEqualTo(1);
      RequestLogHooks.requestEnded("started", 200);
      ThreadContext.clearMap();

      List<JsonNode> lines = h.lines();
      assertThat(lines).extracting(n -> n.path("request_id").asText()).containsExactly("bad", "bad");
      assertThat(lines).anySatisfy(n -> assertThat(n.path("status").asText()).isEqualTo("503"));
      assertThat(lines).anySatisfy(n -> assertThat(n.path("message").asText()).isEqualTo("before the failure"));
      assertThat(h.filter().buffers().size()).isZero();
      assertThat(RequestLogHooks.droppedEventCounts().get("INFO")).containsKey("sampled");
    }
  }

  @Test
  void buffersAreBoundedPerRequestAndInTotal() throws Exception {
    Map<String, String> p =
        Map.of("t.infoRate", "0", "t.requestBufferBytes", "4096", "t.totalBufferBytes", "65536");
    try (LogHarness h = LogHarness.start("bounded", p)) {
      Logger log = h.logger("app");
      ThreadContext.put("request_id", "big");
      for (int i = 0; i < 1_000; i++) {
        log.info("line {} {}", i, "x".repeat(100));
      }
      RequestLogHooks.requestEnded("big", 500);
      List<JsonNode> lines = h.lines();
      // only the newest lines that fit in 4 KiB survive, still in order
      assertThat(lines.size()).isBetween(1, 15);
      assertThat(lines.get(lines.size() - 1).path("message").asText()).startsWith("line 999 ");
      // requests that never end (no servlet module) cannot grow the buffers without bound
      for (int r = 0; r < 1_000; r++) {
        ThreadContext.put("request_id", "never-ends-" + r);
        log.info("pending {}", r);
      }
      ThreadContext.clearMap();
      assertThat(h.filter().buffers().size()).isLessThan(1_000);
      assertThat(RequestLogHooks.droppedEventCounts().get("INFO")).containsKey("buffer_evicted");
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
  void hooksAreSafeWithoutTheFilter() {
    RequestLogHooks.requestEnded("no-such-request", 500);
    RequestLogHooks.requestEnded(null, 500);
    assertThat(RequestLogHooks.droppedEventCounts()).isNotNull();
  }

  @Test
  void accessLogStyleMapMessagesAreSampledPerRequestToo() throws Exception {
    try (LogHarness h = LogHarness.start("map", Map.of("t.infoRate", "0.5"))) {
      Logger log = h.logger("lookout.access");
      int kept = 0;
      for (int i = 0; i < 2_000; i++) {
        ThreadContext.put("request_id", newId());
        log.info(new StringMapMessage().with("event", "request_completed").with("status", "200"));
        ThreadContext.clearMap();
      }
      kept = h.lines().size();
      assertThat(kept).isBetween(1_000 - 112, 1_000 + 112);
    }
  }
}
