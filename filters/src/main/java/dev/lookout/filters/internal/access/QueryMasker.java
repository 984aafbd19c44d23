package dev.lookout.filters.internal.access;

import java.util.List;
import java.util.Locale;

/**
 * Masks the values of sensitive query parameters before a query string is logged. Internal.
 *
 * <p>A parameter is sensitive when its name, lower-cased and without {@code -}, {@code _} and
 * {@code .} (and percent-encoded forms of those), contains one of the configured words — so
 * {@code access_token}, {@code X-Api-Key} and {@code client.secret} are all caught by the defaults.
 */
public final class QueryMasker {

  public static final String MASK = "[REDACTED]";

  private final String[] words;

  public QueryMasker(List<String> words) {
    this.words = new String[words.size()];
    for (int i = 0; i < words.size(); i++) {
      this.words[i] = normalize(words.get(i), 0, words.get(i).length());
    }
  }

  /** The query with sensitive values replaced by {@value #MASK}; null for null. */
  public String mask(String query) {
    if (query == null || query.isEmpty()) {
      return query;
    }
    StringBuilder out = null;
    int n = query.length();
    int start = 0;
    while (start <= n) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = n;
      }
      int eq = query.indexOf('=', start);
      if (eq >= 0 && eq < end && isSensitive(query, start, eq)) {
        if (out == null) {
          out = new StringBuilder(n).append(query, 0, start);
        }
        out.append(query, start, eq + 1).append(MASK);
      } else if (out != null) {
        out.append(query, start, end);
      }
      if (end < n && out != null) {
        out.append('&');
      }
      start = end + 1;
    }
    return out == null ? query : out.toString();
  }

  boolean isSensitive(String s, int from, int to) {
    String name = normalize(s, from, to);
    for (String w : words) {
      if (!w.isEmpty() && name.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** Lower case, without separators; {@code %2D %5F %2E} count as separators too. */
  static String normalize(String s, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '-' || c == '_' || c == '.' || c == '+') {
        continue;
      }
      if (c == '%' && i + 2 < to) {
        String hex = s.substring(i + 1, i + 3).toUpperCase(Locale.ROOT);
        if (hex.equals("2D") || hex.equals("5F") || hex.equals("2E") || hex.equals("20")) {
          i += 2;
          continue;
        }
      }
      sb.append(Character.toLowerCase(c));
    }
    return sb.toString();
  }
}
