package dev.lookout.filters.internal.health;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.lookout.filters.health.HealthProbe;
import dev.lookout.filters.internal.LookoutRuntime;
import dev.lookout.filters.internal.exposure.EndpointExposure;
import dev.lookout.filters.internal.exposure.EndpointGuard;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Serves the probes in the MicroProfile Health JSON format: {@code <path>} (all checks),
 * {@code <path>/live}, {@code <path>/ready}, {@code <path>/started}; 200 when UP, 503 when DOWN.
 * The checks and their data go only to callers that {@code lookout.health.details} lets see them;
 * the others get {@code {"status":"UP"}} with the same status code. Internal.
 */
public final class HealthServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** Jackson's factory, made at the first probe rather than at deployment (its classes are a part of startup). */
  private static final class Json {
    static final JsonFactory FACTORY = new JsonFactory();
  }

  private transient HealthEvaluator evaluator;
  private transient EndpointExposure exposure;

  public HealthServlet() {}

  public HealthServlet(HealthEvaluator evaluator, EndpointExposure exposure) {
    this.evaluator = evaluator;
    this.exposure = exposure;
  }

  @Override
  public void init() throws ServletException {
    if (evaluator == null) {
      LookoutRuntime runtime = LookoutRuntime.get(getServletContext());
      if (runtime != null && runtime.settings().healthEnabled) {
        evaluator = runtime.healthEvaluator();
        exposure = runtime.exposure();
      }
    }
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
    if (EndpointGuard.rejected(req, resp)) {
      return;
    }
    super.service(req, resp);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (evaluator == null) {
      resp.sendError(HttpServletResponse.SC_NOT_FOUND); // declared in web.xml, but Lookout or its health probes are off
      return;
    }
    String sub = req.getPathInfo();
    HealthProbe probe;
    if (sub == null || sub.equals("/")) {
      probe = null;
    } else if (sub.equals("/live")) {
      probe = HealthProbe.LIVENESS;
    } else if (sub.equals("/ready")) {
      probe = HealthProbe.READINESS;
    } else if (sub.equals("/started")) {
      probe = HealthProbe.STARTUP;
    } else {
      resp.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    boolean details = exposure.healthDetails(EndpointGuard.caller(req));
    HealthReport report = evaluator.evaluate(probe);
    resp.setStatus(report.up() ? 200 : 503);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.setHeader("Cache-Control", "no-store");
    try (OutputStream out = resp.getOutputStream()) {
      write(report, details, out);
    }
  }

  @Override
  protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    doGet(req, resp);
  }

  /** Writes the report; without details, only its status. */
  static void write(HealthReport report, boolean details, OutputStream out) throws IOException {
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("status", report.up() ? "UP" : "DOWN");
      if (!details) {
        g.writeEndObject();
        return;
      }
      g.writeArrayFieldStart("checks");
      for (HealthReport.CheckOutcome c : report.checks()) {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeStringField("status", c.up() ? "UP" : "DOWN");
        if (!c.data().isEmpty()) {
          g.writeObjectFieldStart("data");
          for (Map.Entry<String, Object> e : c.data().entrySet()) {
            Object v = e.getValue();
            if (v instanceof Boolean b) {
              g.writeBooleanField(e.getKey(), b);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
              g.writeNumberField(e.getKey(), ((Number) v).longValue());
            } else if (v instanceof Number n) {
              g.writeNumberField(e.getKey(), n.doubleValue());
            } else {
              g.writeStringField(e.getKey(), String.valueOf(v));
            }
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  @Override
  public void destroy() {
    LookoutRuntime.componentDestroyed(getServletContext());
  }
}
