package dev.lookout.filters.internal.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.filters.Flow;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.message.MapMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flows against real Log4j2 events and a real OpenTelemetry SDK span (no web application: no metrics). */
class FlowTest {

  static final List<LogEvent> events = new CopyOnWriteArrayList<>();
  static LoggerContext context;
  static AbstractAppender appender;
  static final ExecutorService pool = Executors.newSingleThreadExecutor();

  @BeforeAll
  static void capture() {
    context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender =
        new AbstractAppender("flow-capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            events.add(event.toImmutable());
          }
        };
    appender.start();
    config.addAppender(appender);
    LoggerConfig flowLogger = new LoggerConfig("lookout.flow", Level.DEBUG, false);
    flowLogger.addAppender(appender, null, null);
    config.addLogger("lookout.flow", flowLogger);
    context.updateLoggers();
  }

  @AfterAll
  static void release() {
    context.getConfiguration().removeLogger("lookout.flow");
    context.updateLoggers();
    pool.shutdownNow();
  }

  @BeforeEach
  void clear() {
    events.clear();
    ThreadContext.clearAll();
  }

  @Test
  void aCompletedFlowLogsItsStartStepsAndDurationWithTheFlowIdInTheContext() {
    String id;
    try (Flow flow = Flow.start("checkout", "order_id", 42L, "express", true)) {
      id = flow.id();
      assertThat(id).matches("checkout-[0-9a-f]{8}");
      assertThat(ThreadContext.get("flow_id")).isEqualTo(id);
      assertThat(Flow.currentId()).isEqualTo(id);
      assertThat(Baggage.current().getEntryValue("flow_id")).as("travels as W3C baggage").isEqualTo(id);
      flow.step("reserve_stock").step("charge_card");
      flow.complete();
    }
    assertThat(ThreadContext.get("flow_id")).as("removed when the flow closes").isNull();
    assertThat(Baggage.current().getEntryValue("flow_id")).isNull();

    assertThat(messages()).containsExactly(
        "checkout_flow_started", "checkout_flow_step", "checkout_flow_step", "checkout_flow_completed");
    MapMessage<?, ?> started = map(0);
    assertThat(started.getIndexedReadOnlyStringMap().<Object>getValue("order_id")).isEqualTo(42L);
    assertThat(started.getIndexedReadOnlyStringMap().<Object>getValue("express")).isEqualTo(true);
    assertThat(events.get(0).getContextData().<String>getValue("flow_id")).isEqualTo(id);
    assertThat(map(1).get("step")).isEqualTo("reserve_stock");
    assertThat(events.get(1).getLevel()).isEqualTo(Level.DEBUG);
    LogEvent completed = events.get(3);
    assertThat(completed.getLevel()).isEqualTo(Level.INFO);
    assertThat(map(3).getIndexedReadOnlyStringMap().<Object>getValue("duration_ms")).isInstanceOf(Double.class);
    assertThat(map(3).getIndexedReadOnlyStringMap().<Object>getValue("steps")).isEqualTo(2);
  }

  @Test
  void aFailedFlowIsAnErrorWithTheLastStepAndTheException() {
    IllegalStateException boom = new IllegalStateException("card declined");
    try (Flow flow = Flow.start("checkout")) {
      flow.step("reserve_stock");
      flow.step("charge_card");
      flow.fail(boom);
      flow.complete(); // too late: the outcome is decided once
    }
    assertThat(messages()).containsExactly(
        "checkout_flow_started", "checkout_flow_step", "checkout_flow_step", "checkout_flow_failed");
    LogEvent failed = events.get(3);
    assertThat(failed.getLevel()).isEqualTo(Level.ERROR);
    assertThat(failed.getThrown()).isSameAs(boom);
    assertThat(map(3).get("last_step")).isEqualTo("charge_card");
    assertThat(map(3).get("error")).isEqualTo("card declined");
    assertThat(map(3).get("error_type")).isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void aFlowClosedWithoutCompletingIsAbandoned() {
    try (Flow flow = Flow.start("import")) {
      flow.step("read_file");
    }
    assertThat(messages()).containsExactly("import_flow_started", "import_flow_step", "import_flow_abandoned");
    assertThat(events.get(2).getLevel()).isEqualTo(Level.ERROR);
    assertThat(map(2).get("last_step")).isEqualTo("read_file");
  }

  @Test
  void theFlowAndRequestContextFollowATaskToAnotherThread() throws Exception {
    ThreadContext.put("request_id", "req-7");
    String[] seen = new String[3];
    String id;
    try (Flow flow = Flow.start("checkout")) {
      id = flow.id();
      Flow.wrap(pool).execute(() -> {
        seen[0] = ThreadContext.get("flow_id");
        seen[1] = ThreadContext.get("request_id");
        seen[2] = Baggage.current().getEntryValue("flow_id");
        flow.step("ship");
      });
      String inCallable = pool.submit(Flow.wrap(() -> ThreadContext.get("flow_id"))).get(10, TimeUnit.SECONDS);
      assertThat(inCallable).isEqualTo(id);
      flow.complete();
    }
    assertThat(seen).containsExactly(id, "req-7", id);
    assertThat(pool.submit(() -> ThreadContext.get("flow_id")).get(10, TimeUnit.SECONDS))
        .as("the pool thread's context is put back after the task").isNull();
    LogEvent step = events.stream().filter(e -> ((MapMessage<?, ?>) e.getMessage()).get("message").equals("checkout_flow_step")).findFirst().orElseThrow();
    assertThat(step.getContextData().<String>getValue("flow_id")).isEqualTo(id);
    assertThat(step.getThreadName()).isNotEqualTo(Thread.currentThread().getName());
  }

  @Test
  void stepsAreEventsOfTheCurrentSpan() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
      Span span = tracing.get("test").spanBuilder("POST /checkout").startSpan();
      try (Scope s = span.makeCurrent(); Flow flow = Flow.start("checkout")) {
        flow.step("reserve_stock");
        flow.complete();
      } finally {
        span.end();
      }
      List<EventData> spanEvents = exporter.getFinishedSpanItems().get(0).getEvents();
      assertThat(spanEvents).extracting(EventData::getName)
          .containsExactly("checkout_flow_started", "checkout_flow_step", "checkout_flow_completed");
      assertThat(spanEvents.get(1).getAttributes().asMap().values()).contains("reserve_stock");
    }
  }

  @Test
  void namesAreCleanedAndAnIncomingFlowIdMustBePlausible() {
    assertThat(FlowRun.cleanName("Check Out!")).isEqualTo("check_out_");
    assertThat(FlowRun.cleanName(null)).isEqualTo("flow");
    assertThat(FlowContext.isPlausible("checkout-1f3a9c0e")).isTrue();
    assertThat(FlowContext.isPlausible("x\n{\"level\":\"ERROR\"}")).isFalse();
    assertThat(FlowContext.isPlausible("a".repeat(97))).isFalse();
  }

  private static List<String> messages() {
    return events.stream().map(e -> ((MapMessage<?, ?>) e.getMessage()).get("message")).toList();
  }

  private static MapMessage<?, ?> map(int i) {
    return (MapMessage<?, ?>) events.get(i).getMessage();
  }
}
