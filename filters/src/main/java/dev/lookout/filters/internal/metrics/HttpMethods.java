package dev.lookout.filters.internal.metrics;

/** Maps request methods to a small fixed set of label values and array indexes. Internal. */
public final class HttpMethods {

  /** Label values; the index of each is what {@link #indexOf} returns. */
  static final String[] LABELS = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "_OTHER"
  };

  static final int OTHER = LABELS.length - 1;

  private HttpMethods() {}

  /** The index of a method's label; any unknown method (there is no limit on them) is {@code _OTHER}. */
  public static int indexOf(String method) {
    switch (method) {
      case "GET":
        return 0;
      case "HEAD":
        return 1;
      case "POST":
        return 2;
      case "PUT":
        return 3;
      case "DELETE":
        return 4;
      case "CONNECT":
        return 5;
      case "OPTIONS":
        return 6;
      case "TRACE":
        return 7;
      case "PATCH":
        return 8;
      default:
        return OTHER;
    }
  }

  public static String label(int index) {
    return LABELS[index];
  }
}
