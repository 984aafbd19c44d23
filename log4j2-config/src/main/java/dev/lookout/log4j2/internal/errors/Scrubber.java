package dev.lookout.log4j2.internal.errors;

import dev.lookout.log4j2.internal.Redactor;
import io.sentry.Breadcrumb;
import io.sentry.SentryEvent;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import io.sentry.protocol.User;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies the logs' redaction rules to everything an event or breadcrumb carries before it leaves
 * the process: secret keys ({@code lookout.log.redact-keys}) in tags, extras, contexts, breadcrumb
 * data and headers; secret-looking values ({@code lookout.log.redact-patterns}) and masked query
 * parameters ({@code lookout.access-log.masked-parameters}) inside every text. Runs on the
 * sending path only (events and breadcrumbs that are sent), never per request. Internal.
 */
final class Scrubber {

  private static final int MAX_DEPTH = 8;

  private final Redactor redactor;
  private final String[] maskedParameters;

  Scrubber(Redactor redactor, String maskedParameters) {
    this.redactor = redactor;
    List<String> words = new ArrayList<>();
    for (String w : maskedParameters.split(",")) {
      String n = normalize(w);
      if (!n.isEmpty()) {
        words.add(n);
      }
    }
    this.maskedParameters = words.toArray(new String[0]);
  }

  SentryEvent scrub(SentryEvent event) {
    Message m = event.getMessage();
    if (m != null) {
      m.setFormatted(text(m.getFormatted()));
      m.setMessage(text(m.getMessage()));
      m.setParams(null); // the formatted text carries them, masked
    }
    List<SentryException> exceptions = event.getExceptions();
    if (exceptions != null) {
      for (SentryException e : exceptions) {
        e.setValue(text(e.getValue()));
      }
    }
    List<Breadcrumb> crumbs = event.getBreadcrumbs();
    if (crumbs != null) {
      for (Breadcrumb b : crumbs) {
        scrub(b);
      }
    }
    Map<String, String> tags = event.getTags();
    if (tags != null) {
      for (Map.Entry<String, String> t : new ArrayList<>(tags.entrySet())) {
        event.setTag(t.getKey(), redactor.isSecretKey(t.getKey()) ? Redactor.MASK : text(t.getValue()));
      }
    }
    Map<String, Object> extras = event.getExtras();
    if (extras != null) {
      for (Map.Entry<String, Object> x : new ArrayList<>(extras.entrySet())) {
        event.setExtra(x.getKey(), value(x.getKey(), x.getValue(), 0));
      }
    }
    for (String key : Collections.list(event.getContexts().keys())) {
      Object v = event.getContexts().get(key);
      if (v instanceof Map<?, ?> || v instanceof String || v instanceof Collection<?>) {
        event.getContexts().put(key, value(key, v, 0));
      }
    }
    Request r = event.getRequest();
    if (r != null) {
      r.setCookies(null);
      r.setData(null);
      r.setEnvs(null);
      r.setUrl(text(r.getUrl()));
      r.setQueryString(query(r.getQueryString()));
      Map<String, String> headers = r.getHeaders();
      if (headers != null) {
        Map<String, String> kept = new LinkedHashMap<>();
        headers.forEach(
            (k, v) -> {
              String n = normalize(k);
              if (!n.equals("authorization") && !n.equals("cookie") && !n.equals("setcookie") && !n.equals("proxyauthorization")) {
                kept.put(k, redactor.isSecretKey(k) ? Redactor.MASK : text(v));
              }
            });
        r.setHeaders(kept);
      }
    }
    User u = event.getUser();
    if (u != null) {
      // only the id the application set explicitly leaves the process
      User only = new User();
      only.setId(u.getId());
      event.setUser(u.getId() == null ? null : only);
    }
    event.setServerName(null);
    return event;
  }

  Breadcrumb scrub(Breadcrumb b) {
    b.setMessage(text(b.getMessage()));
    Map<String, Object> data = b.getData();
    for (String key : new ArrayList<>(data.keySet())) {
      Object v = value(key, data.get(key), 0);
      if (v == null) {
        b.removeData(key);
      } else {
        b.setData(key, v);
      }
    }
    return b;
  }

  private Object value(String key, Object v, int depth) {
    if (redactor.isSecretKey(key)) {
      return Redactor.MASK;
    }
    if (v instanceof String s) {
      return text(s);
    }
    if (v instanceof Map<?, ?> map && depth < MAX_DEPTH) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, x) -> out.put(String.valueOf(k), value(String.valueOf(k), x, depth + 1)));
      return out;
    }
    if (v instanceof Collection<?> c && depth < MAX_DEPTH) {
      List<Object> out = new ArrayList<>(c.size());
      for (Object x : c) {
        out.add(value("", x, depth + 1));
      }
      return out;
    }
    return v;
  }

  /** A text with masked query parameters and (when on) secret-looking values masked. */
  String text(String s) {
    if (s == null || s.isEmpty()) {
      return s;
    }
    return redactor.maskPatterns(maskParameters(s));
  }

  /** A bare query string ({@code a=1&token=x}) with masked parameters' values masked. */
  String query(String q) {
    if (q == null || q.isEmpty()) {
      return q;
    }
    return text(maskParameters("?" + q).substring(1));
  }

  /**
   * Masks the value of every {@code name=value} that follows {@code ?}, {@code &} or {@code ;}
   * when the name is a masked parameter; the value ends at {@code &}, {@code #}, whitespace or a
   * quote. Plain scanning: this runs on every text of every event.
   */
  String maskParameters(String s) {
    if (maskedParameters.length == 0 || s.indexOf('=') < 0) {
      return s;
    }
    StringBuilder out = null;
    int copied = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c != '?' && c != '&' && c != ';') {
        continue;
      }
      int nameStart = i + 1;
      int eq = nameStart;
      while (eq < n && isNameChar(s.charAt(eq))) {
        eq++;
      }
      if (eq == nameStart || eq >= n || s.charAt(eq) != '=') {
        continue;
      }
      int valueEnd = eq + 1;
      while (valueEnd < n && !endsValue(s.charAt(valueEnd))) {
        valueEnd++;
      }
      if (valueEnd > eq + 1 && masked(s.substring(nameStart, eq)) && !s.startsWith(Redactor.MASK, eq + 1)) {
        if (out == null) {
          out = new StringBuilder(n + 16);
        }
        out.append(s, copied, eq + 1).append(Redactor.MASK);
        copied = valueEnd;
      }
      i = valueEnd - 1;
    }
    if (out == null) {
      return s;
    }
    return out.append(s, copied, n).toString();
  }

  private boolean masked(String name) {
    String n = normalize(name);
    for (String w : maskedParameters) {
      if (n.contains(w)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '[' || c == ']';
  }

  private static boolean endsValue(char c) {
    return c == '&' || c == '#' || c == '"' || c == '\'' || c == ';' || Character.isWhitespace(c);
  }

  private static String normalize(String s) {
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
