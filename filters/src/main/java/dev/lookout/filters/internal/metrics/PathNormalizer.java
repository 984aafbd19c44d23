package dev.lookout.filters.internal.metrics;

/**
 * Turns a raw path into a template by replacing the segments that look like identifiers, for
 * applications that have no route templates: {@code /users/123/orders/9f1c…} becomes
 * {@code /users/{id}/orders/{id}}. Internal; opt-in, because a path with free-text segments can
 * still produce many values (the endpoint limit then applies).
 */
public final class PathNormalizer {

  private static final String ID = "{id}";

  private PathNormalizer() {}

  public static String normalize(String path) {
    if (path.isEmpty()) {
      return "/";
    }
    StringBuilder out = null;
    int n = path.length();
    int segmentStart = 0;
    for (int i = 0; i <= n; i++) {
      if (i == n || path.charAt(i) == '/') {
        if (i > segmentStart && isIdentifier(path, segmentStart, i)) {
          if (out == null) {
            out = new StringBuilder(n).append(path, 0, segmentStart);
          }
          out.append(ID);
        } else if (out != null) {
          out.append(path, segmentStart, i);
        }
        if (i < n && out != null) {
          out.append('/');
        }
        segmentStart = i + 1;
      }
    }
    return out == null ? path : out.toString();
  }

  /**
   * A segment is an identifier when it is all digits, a UUID, or at least 16 hex digits with at
   * least one digit (so that words like {@code deadbeef} stay), or a long mix of letters and digits
   * with at least one digit (opaque keys).
   */
  static boolean isIdentifier(String s, int from, int to) {
    int len = to - from;
    boolean allDigits = true;
    boolean allHexOrDash = true;
    int digits = 0;
    int letters = 0;
    int dashes = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else {
        allDigits = false;
        if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
          letters++;
        } else if (c == '-') {
          dashes++;
        } else if ((c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z') || c == '_') {
          letters++;
          allHexOrDash = false;
        } else {
          allHexOrDash = false;
        }
      }
    }
    if (allDigits) {
      return true;
    }
    if (allHexOrDash && len == 36 && dashes == 4) {
      return true; // UUID
    }
    if (allHexOrDash && dashes == 0 && len >= 16 && digits > 0) {
      return true; // hex ID
    }
    return len >= 20 && digits > 0 && letters > 0;
  }
}
