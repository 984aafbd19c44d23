package dev.lookout.jaxrs.internal;

import jakarta.ws.rs.core.UriInfo;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * RESTEasy's full matched template ({@code ResteasyUriInfo.getMatchedResourceTemplate()},
 * locators included), looked up reflectively so that this module needs no RESTEasy at build time.
 * Internal.
 */
final class ResteasySupport {

  private static final Class<?> URI_INFO_CLASS = load();
  private static final MethodHandle MATCHED_TEMPLATE = find();

  private ResteasySupport() {}

  private static Class<?> load() {
    try {
      return Class.forName("org.jboss.resteasy.spi.ResteasyUriInfo", false, ResteasySupport.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private static MethodHandle find() {
    if (URI_INFO_CLASS == null) {
      return null;
    }
    try {
      Class<?> c = URI_INFO_CLASS;
      return MethodHandles.publicLookup()
          .findVirtual(c, "getMatchedResourceTemplate", MethodType.methodType(String.class))
          .asType(MethodType.methodType(String.class, Object.class));
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  static String template(String prefix, UriInfo uriInfo) {
    if (MATCHED_TEMPLATE == null || uriInfo == null) {
      return null;
    }
    try {
      Object target = uriInfo;
      if (!URI_INFO_CLASS.isInstance(target)) {
        return null;
      }
      String t = (String) MATCHED_TEMPLATE.invokeExact(target);
      return t == null || t.isEmpty() ? null : RouteTemplates.join(prefix, java.util.List.of(t));
    } catch (Throwable e) {
      return null;
    }
  }
}
