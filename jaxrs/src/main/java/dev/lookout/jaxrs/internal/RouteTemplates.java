package dev.lookout.jaxrs.internal;

import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.List;

/** Builds route templates from matched JAX-RS paths: joined, regexes stripped, slashes normalised. Internal. */
public final class RouteTemplates {

  private RouteTemplates() {}

  /**
   * Joins path segments into one template: {@code "/api", "orders", "{id: [0-9]+}"} becomes
   * {@code /api/orders/{id}}.
   */
  public static String join(String prefix, List<String> parts) {
    StringBuilder sb = new StringBuilder(64);
    append(sb, prefix);
    for (String p : parts) {
      append(sb, p);
    }
    if (sb.length() == 0) {
      return "/";
    }
    return sb.toString();
  }

  /** Appends one template segment with a single leading slash, no trailing slash, no regexes. */
  static void append(StringBuilder sb, String segment) {
    if (segment == null) {
      return;
    }
    int n = segment.length();
    int i = 0;
    while (i < n) {
      char c = segment.charAt(i);
      if (c == '/') {
        i++;
        continue;
      }
      sb.append('/');
      // one path segment, up to the next slash outside braces
      int depth = 0;
      while (i < n) {
        c = segment.charAt(i);
        if (c == '/' && depth == 0) {
          break;
        }
        if (c == '{') {
          depth++;
          if (depth == 1) {
            // copy the parameter name, skip an optional ": regex"
            sb.append('{');
            i++;
            while (i < n && segment.charAt(i) != ':' && segment.charAt(i) != '}') {
              char ch = segment.charAt(i);
              if (!Character.isWhitespace(ch)) {
                sb.append(ch);
              }
              i++;
            }
            // skip to the matching close brace (regexes may contain braces)
            int d = 1;
            while (i < n && d > 0) {
              char ch = segment.charAt(i);
              if (ch == '{') {
                d++;
              } else if (ch == '}') {
                d--;
              }
              i++;
            }
            sb.append('}');
            depth = 0;
            continue;
          }
        }
        sb.append(c);
        i++;
      }
    }
  }

  /** The {@code @Path} value of a class (or its superclasses/interfaces, for proxies) or method, or "". */
  static String pathOf(java.lang.reflect.AnnotatedElement element) {
    Path p = element.getAnnotation(Path.class);
    if (p == null && element instanceof Class<?> c) {
      for (Class<?> k = c.getSuperclass(); p == null && k != null; k = k.getSuperclass()) {
        p = k.getAnnotation(Path.class);
      }
      for (Class<?> i : c.getInterfaces()) {
        if (p == null) {
          p = i.getAnnotation(Path.class);
        }
      }
    }
    return p == null ? "" : p.value();
  }

  /**
   * The sub-resource locator of {@code owner} that returns {@code sub}: a {@code @Path} method with
   * no HTTP method annotation; null unless exactly one fits.
   */
  static Method locator(Class<?> owner, Class<?> sub) {
    Method found = null;
    for (Method m : owner.getMethods()) {
      if (m.getAnnotation(Path.class) == null || isResourceMethod(m)) {
        continue;
      }
      Class<?> r = m.getReturnType();
      if (r.isAssignableFrom(sub) || r == Class.class || r == Object.class) {
        if (found != null && !(r == Object.class || r == Class.class)) {
          return null;
        }
        if (found == null || found.getReturnType() == Object.class) {
          found = m;
        }
      }
    }
    return found;
  }

  private static boolean isResourceMethod(Method m) {
    for (java.lang.annotation.Annotation a : m.getAnnotations()) {
      if (a.annotationType().isAnnotationPresent(jakarta.ws.rs.HttpMethod.class)) {
        return true;
      }
    }
    return false;
  }

  /** The template of a resource method from its annotations (no locators), for runtimes that offer nothing better. */
  public static String fromAnnotations(String prefix, Class<?> resourceClass, Method resourceMethod) {
    Path classPath = resourceClass == null ? null : resourceClass.getAnnotation(Path.class);
    Path methodPath = resourceMethod == null ? null : resourceMethod.getAnnotation(Path.class);
    return join(
        prefix,
        List.of(classPath == null ? "" : classPath.value(), methodPath == null ? "" : methodPath.value()));
  }
}
