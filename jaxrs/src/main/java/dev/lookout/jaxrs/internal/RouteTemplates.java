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

  /** The template of a resource method from its annotations (no locators), for runtimes that offer nothing better. */
  public static String fromAnnotations(String prefix, Class<?> resourceClass, Method resourceMethod) {
    Path classPath = resourceClass == null ? null : resourceClass.getAnnotation(Path.class);
    Path methodPath = resourceMethod == null ? null : resourceMethod.getAnnotation(Path.class);
    return join(
        prefix,
        List.of(classPath == null ? "" : classPath.value(), methodPath == null ? "" : methodPath.value()));
  }
}
