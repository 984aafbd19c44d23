package dev.lookout.example;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** A plain Servlet-API async endpoint: the response is written by another thread after {@code ms}. */
public class AsyncServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
    long ms;
    try {
      ms = Math.max(0, Math.min(Long.parseLong(req.getParameter("ms")), 10_000));
    } catch (NumberFormatException e) {
      ms = 300;
    }
    AsyncContext async = req.startAsync();
    async.setTimeout(30_000);
    long delay = ms;
    DemoResource.SCHEDULER.schedule(
        () -> {
          try {
            HttpServletResponse r = (HttpServletResponse) async.getResponse();
            r.setContentType("text/plain");
            r.getWriter().write("async servlet done after " + delay + " ms\n");
          } catch (IOException e) {
            // client went away
          } finally {
            async.complete();
          }
        },
        ms,
        TimeUnit.MILLISECONDS);
  }
}
