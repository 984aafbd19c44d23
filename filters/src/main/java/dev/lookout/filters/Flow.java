package dev.lookout.filters;

import dev.lookout.filters.internal.flow.FlowContext;
import dev.lookout.filters.internal.flow.FlowRun;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * A named piece of multi-step work (a checkout, an import, a retry loop) followed by one ID, so
 * that an operator sees how far a failed run got:
 *
 * <pre>{@code
 * try (Flow flow = Flow.start("checkout", "order_id", id)) {
 *   flow.step("reserve_stock");
 *   ...
 *   flow.step("charge_card");
 *   ...
 *   flow.complete();
 * }
 * }</pre>
 *
 * While it runs, {@code flow_id} ({@code checkout-} and 8 hex digits) is in the log context of
 * the starting thread and in the W3C baggage of outbound calls (a downstream service running
 * Lookout logs it too), and follows tasks handed on with {@link #wrap(Runnable)} or {@link
 * #wrap(Executor)}. The flow logs {@code checkout_flow_started}, {@code checkout_flow_step}
 * (DEBUG), {@code checkout_flow_completed} or {@code checkout_flow_failed} (ERROR, with the last
 * step); one closed without {@link #complete()} or {@link #fail(Throwable)} is {@code abandoned}.
 * Steps are events on the current span; {@code flow_duration_seconds{flow,outcome}} and {@code
 * flow_steps_total{flow,step}} are in {@code /metrics}. Flow and step names should be constants
 * of the code (they are metric labels, capped). Start and close a flow on the same thread
 * (try-with-resources); {@link #step} may be called from any thread. Never throws.
 */
public final class Flow implements AutoCloseable {

  private final FlowRun run;

  private Flow(FlowRun run) {
    this.run = run;
  }

  /**
   * Starts a flow.
   *
   * @param name what the flow is, e.g. {@code "checkout"} (letters, digits, {@code _}; others become {@code _})
   * @param fields key, value, key, value… logged with the start event (numbers and booleans stay typed)
   */
  public static Flow start(String name, Object... fields) {
    return new Flow(FlowRun.start(name, fields));
  }

  /** Records that the flow reached a step; returns this flow. */
  public Flow step(String step) {
    run.step(step);
    return this;
  }

  /** The flow succeeded. */
  public void complete() {
    run.complete();
  }

  /** The flow failed with this error (logged with the last step reached). */
  public void fail(Throwable error) {
    run.fail(error);
  }

  /** The flow's ID, e.g. {@code checkout-1f3a9c0e}. */
  public String id() {
    return run.id();
  }

  /** Ends the flow: {@code abandoned} unless it completed or failed; restores the log context. */
  @Override
  public void close() {
    run.close();
  }

  /** The flow ID of this thread's log context (a flow of this service or of a caller), or null. */
  public static String currentId() {
    return FlowContext.currentId();
  }

  /** The task, carrying this thread's log context (flow ID, request ID…) and trace context along. */
  public static Runnable wrap(Runnable task) {
    return FlowContext.wrap(Objects.requireNonNull(task, "task"));
  }

  /** The task, carrying this thread's log context and trace context along. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    return FlowContext.wrap(Objects.requireNonNull(task, "task"));
  }

  /** An executor whose tasks run with the log and trace context of the thread that submitted them. */
  public static Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(FlowContext.wrap(Objects.requireNonNull(task, "task")));
  }
}
