package dev.lookout.filters.internal.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The label caps of the flow metrics: past 100 flow names, and past 50 step names in one flow, the
 * series go to {@code _other}, with one WARN per cap reached, and no event is lost from the counts.
 */
class FlowMetricsCapTest {

  final List<LogEvent> warnings = new CopyOnWriteArrayList<>();
  LoggerContext context;
  AbstractAppender appender;
  FlowMetrics metrics;

  @BeforeEach
  void capture() {
    metrics = new FlowMetrics(null);
    context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender =
        new AbstractAppender("flow-cap-capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            if (event.getLevel() == Level.WARN) {
              warnings.add(event.toImmutable());
            }
          }
        };
    appender.start();
    config.addAppender(appender);
    LoggerConfig flowLogger = new LoggerConfig("lookout.flow", Level.INFO, false);
    flowLogger.addAppender(appender, null, null);
    config.addLogger("lookout.flow", flowLogger);
    context.updateLoggers();
  }

  @AfterEach
  void release() {
    context.getConfiguration().removeLogger("lookout.flow");
    context.updateLoggers();
    appender.stop();
  }

  @Test
  void flowNamesPastTheCapCountAsOtherWithOneWarning() {
    for (int i = 0; i < 130; i++) {
      metrics.labels("flow_" + i).ended(FlowRun.COMPLETED, 0.2);
    }
    metrics.labels("flow_7").ended(FlowRun.FAILED, 0.3); // a name from before the cap keeps its series
    metrics.labels("flow_200").ended(FlowRun.FAILED, 0.3); // later new names keep going to _other

    Map<String, Long> completed = durationCounts(FlowRun.COMPLETED);
    assertThat(completed).hasSize(FlowMetrics.MAX_FLOWS + 1).containsKey(FlowMetrics.OTHER);
    for (int i = 0; i < FlowMetrics.MAX_FLOWS; i++) {
      assertThat(completed.get("flow_" + i)).as("flow_%d", i).isEqualTo(1L);
    }
    assertThat(completed).doesNotContainKeys("flow_100", "flow_129");
    assertThat(completed.get(FlowMetrics.OTHER)).as("the 30 flows past the cap").isEqualTo(30L);
    assertThat(completed.values().stream().mapToLong(Long::longValue).sum()).as("no flow lost").isEqualTo(130L);
    assertThat(durationCounts(FlowRun.FAILED)).containsOnly(Map.entry("flow_7", 1L), Map.entry(FlowMetrics.OTHER, 1L));

    assertThat(warnings).as("one WARN for the flow-name cap").hasSize(1);
    assertThat(warnings.get(0).getMessage().getFormattedMessage())
        .contains("100 flow names")
        .contains("'flow_100'")
        .contains(FlowMetrics.OTHER);
  }

  @Test
  void stepNamesPastTheCapOfEachFlowCountAsOtherWithOneWarningPerFlow() {
    FlowMetrics.Labels checkout = metrics.labels("checkout");
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 80; i++) {
        checkout.step("step_" + i);
      }
    }
    FlowMetrics.Labels refund = metrics.labels("refund");
    for (int i = 0; i < 60; i++) {
      refund.step("step_" + i);
    }

    Map<String, Double> checkoutSteps = stepCounts("checkout");
    assertThat(checkoutSteps).hasSize(FlowMetrics.MAX_STEPS + 1);
    for (int i = 0; i < FlowMetrics.MAX_STEPS; i++) {
      assertThat(checkoutSteps.get("step_" + i)).as("step_%d", i).isEqualTo(2.0);
    }
    assertThat(checkoutSteps).doesNotContainKey("step_50");
    assertThat(checkoutSteps.get(FlowMetrics.OTHER)).as("30 step names past the cap, twice each").isEqualTo(60.0);
    assertThat(checkoutSteps.values().stream().mapToDouble(Double::doubleValue).sum()).as("no step lost").isEqualTo(160.0);

    Map<String, Double> refundSteps = stepCounts("refund");
    assertThat(refundSteps).as("each flow has its own cap").hasSize(FlowMetrics.MAX_STEPS + 1);
    assertThat(refundSteps.get(FlowMetrics.OTHER)).isEqualTo(10.0);

    assertThat(warnings).as("one WARN per flow whose steps reached the cap").hasSize(2);
    assertThat(warnings.get(0).getMessage().getFormattedMessage()).contains("50 step names in flow checkout").contains("'step_50'");
    assertThat(warnings.get(1).getMessage().getFormattedMessage()).contains("50 step names in flow refund").contains("'step_50'");
  }

  /** Observations per flow label of one outcome, from the histogram as /metrics reads it. */
  private Map<String, Long> durationCounts(String outcome) {
    Map<String, Long> counts = new TreeMap<>();
    for (HistogramDataPointSnapshot p : metrics.duration.collect().getDataPoints()) {
      if (outcome.equals(p.getLabels().get("outcome")) && p.getCount() > 0) {
        counts.put(p.getLabels().get("flow"), p.getCount());
      }
    }
    return counts;
  }

  /** Step counts per step label of one flow. */
  private Map<String, Double> stepCounts(String flow) {
    Map<String, Double> counts = new TreeMap<>();
    for (CounterDataPointSnapshot p : metrics.steps.collect().getDataPoints()) {
      if (flow.equals(p.getLabels().get("flow"))) {
        counts.put(p.getLabels().get("step"), p.getValue());
      }
    }
    return counts;
  }
}
