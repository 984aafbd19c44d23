package dev.lookout.it.probe;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The servlet of a probe web application deployed beside the example in the same standalone Jetty:
 * it reads the JVM-wide {@code java.util.logging} tree, which no MBean shows (the logging MBean
 * has levels, not handlers). One line per handler on the JUL root, {@code handler <class>
 * <class loader>}, {@code level <logger> <level>} for each logger named in {@code ?levels=}, and
 * {@code gc-listener <class> <class loader>} for each notification listener on the JVM-wide garbage
 * collector MXBeans (read by reflection: the JVM runs with {@code --add-opens
 * java.management/sun.management=ALL-UNNAMED}), or {@code gc-listeners unreadable <why>}.
 */
public final class JulProbeServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setContentType("text/plain;charset=utf-8");
    PrintWriter out = response.getWriter();
    for (Handler h : Logger.getLogger("").getHandlers()) {
      out.println("handler " + h.getClass().getName() + " " + loaderOf(h.getClass()));
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      try {
        for (Object listener : listenersOf(gc)) {
          out.println("gc-listener " + listener.getClass().getName() + " " + loaderOf(listener.getClass()));
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        out.println("gc-listeners unreadable " + e);
      }
    }
    String levels = request.getParameter("levels");
    if (levels != null) {
      for (String name : levels.split(",")) {
        Level level = Logger.getLogger(name).getLevel();
        out.println("level " + name + " " + (level == null ? "-" : level.getName()));
      }
    }
  }

  private static String loaderOf(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    return loader == null ? "bootstrap" : loader.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(loader));
  }

  /** The listeners a platform MXBean keeps in sun.management.NotificationEmitterSupport. */
  private static List<Object> listenersOf(Object emitter) throws ReflectiveOperationException {
    Class<?> support = Class.forName("sun.management.NotificationEmitterSupport");
    List<Object> listeners = new ArrayList<>();
    if (!support.isInstance(emitter)) {
      return listeners;
    }
    Field list = support.getDeclaredField("listenerList");
    list.setAccessible(true);
    for (Object info : new ArrayList<>((List<?>) list.get(emitter))) {
      Field listener = info.getClass().getDeclaredField("listener");
      listener.setAccessible(true);
      listeners.add(listener.get(info));
    }
    return listeners;
  }
}
