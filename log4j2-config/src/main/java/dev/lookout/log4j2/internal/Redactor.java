package dev.lookout.log4j2.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.message.MapMessage;

/**
 * Decides which field names are secret, and (opt-in) masks secret-looking values inside message
 * text. Internal.
 *
 * <p>A name is secret when, lower-cased and without {@code -}, {@code _} and {@code .}, it contains
 * a configured word: {@code X-Api-Key}, {@code user.password} and {@code refresh_token} are all
 * caught. Decisions are cached per name (bounded), so a field name costs one map lookup.
 */
public final class Redactor {

  public static final String MASK = "[REDACTED]";
  public static final String DEFAULT_KEYS =
      "password,passwd,secret,token,api_key,apikey,authorization,cookie,set-cookie,session,credential,private_key";

  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}");
  private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
  private static final Pattern CARD = Pattern.compile("\\b(?:\\d[ -]?){12,18}\\d\\b");
  private static final int CACHE_LIMIT = 10_000;

  private final String[] words;
  private final boolean patterns;
  private final ConcurrentHashMap<String, Boolean> decisions = new ConcurrentHashMap<>();

  public Redactor(String keys, boolean patterns) {
    List<String> w = new ArrayList<>();
    for (String k : keys.split(",")) {
      String n = normalize(k);
      if (!n.isEmpty()) {
        w.add(n);
      }
    }
    this.words = w.toArray(new String[0]);
    this.patterns = patterns;
  }

  /** Whether values under this name must be masked. */
  public boolean isSecretKey(String name) {
    Boolean d = decisions.get(name);
    if (d == null) {
      String n = normalize(name);
      boolean secret = false;
      for (String w : words) {
        if (n.contains(w)) {
          secret = true;
          break;
        }
      }
      d = secret;
      if (decisions.size() < CACHE_LIMIT) {
        decisions.put(name, d);
      }
    }
    return d;
  }

  public boolean masksPatterns() {
    return patterns;
  }

  /** The text with bearer/basic credentials, JWTs and Luhn-valid card numbers masked. */
  public String maskPatterns(String text) {
    if (!patterns || text == null || text.isEmpty()) {
      return text;
    }
    String out = BEARER.matcher(text).replaceAll("$1 " + MASK);
    out = JWT.matcher(out).replaceAll(MASK);
    Matcher m = CARD.matcher(out);
    StringBuilder sb = null;
    int last = 0;
    while (m.find()) {
      if (luhn(m.group())) {
        if (sb == null) {
          sb = new StringBuilder(out.length());
        }
        sb.append(out, last, m.start()).append(MASK);
        last = m.end();
      }
    }
    if (sb == null) {
      return out;
    }
    return sb.append(out, last, out.length()).toString();
  }

  /** {@code key="value"} pairs like MapMessage's own text, with secret values masked. */
  public String mapText(MapMessage<?, ?> map) {
    StringBuilder sb = new StringBuilder();
    map.getIndexedReadOnlyStringMap()
        .forEach(
            (k, v) -> {
              if (sb.length() > 0) {
                sb.append(' ');
              }
              sb.append(k).append("=\"");
              appendValue(sb, k, v, 0);
              sb.append('"');
            });
    return sb.toString();
  }

  private void appendValue(StringBuilder sb, String key, Object value, int depth) {
    if (isSecretKey(key)) {
      sb.append(MASK);
    } else if (value instanceof Map<?, ?> nested && depth < 8) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : nested.entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        String k = String.valueOf(e.getKey());
        sb.append(k).append('=');
        appendValue(sb, k, e.getValue(), depth + 1);
      }
      sb.append('}');
    } else {
      sb.append(value);
    }
  }

  static boolean luhn(String candidate) {
    int sum = 0;
    int digits = 0;
    boolean doubleIt = false;
    for (int i = candidate.length() - 1; i >= 0; i--) {
      char c = candidate.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      digits++;
      doubleIt = !doubleIt;
    }
    return digits >= 13 && digits <= 19 && sum % 10 == 0;
  }

  static String normalize(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '-' && c != '_' && c != '.' && !Character.isWhitespace(c)) {
        sb.append(c);
      }
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }
}
