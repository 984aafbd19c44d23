package dev.lookout.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The samples of a Prometheus text-format scrape, parsed for assertions. */
final class MetricsText {

  /** One sample line: name, labels, value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private MetricsText(List<Sample> samples) {
    this.samples = samples;
  }

  static MetricsText parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space;
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < line.indexOf(' ')) {
        name = line.substring(0, brace);
        int i = brace + 1;
        while (line.charAt(i) != '}') {
          int eq = line.indexOf('=', i);
          String key = line.substring(i, eq);
          StringBuilder value = new StringBuilder();
          int j = eq + 2; // skip ="
          while (line.charAt(j) != '"') {
            char c = line.charAt(j);
            if (c == '\\') {
              char n = line.charAt(++j);
              value.append(n == 'n' ? '\n' : n);
            } else {
              value.append(c);
            }
            j++;
          }
          labels.put(key, value.toString());
          i = j + 1;
          if (line.charAt(i) == ',') {
            i++;
          }
        }
        space = line.indexOf(' ', i);
      } else {
        space = line.indexOf(' ');
        name = line.substring(0, space);
      }
      String rest = line.substring(space + 1).trim();
      int sp = rest.indexOf(' ');
      String value = sp < 0 ? rest : rest.substring(0, sp);
      out.add(new Sample(name, labels, Double.parseDouble(value)));
    }
    return new MetricsText(out);
  }

  List<Sample> samples() {
    return samples;
  }

  /** The value of the sample with exactly this name and these labels (as alternating key, value), or 0. */
  double value(String name, String... labelPairs) {
    Map<String, String> want = new LinkedHashMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      want.put(labelPairs[i], labelPairs[i + 1]);
    }
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().equals(want)) {
        return s.value();
      }
    }
    return 0;
  }

  /** The distinct values of one label over the samples of a metric. */
  java.util.Set<String> labelValues(String name, String label) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().containsKey(label)) {
        out.add(s.labels().get(label));
      }
    }
    return out;
  }

  /** A source of scrapes, e.g. an HTTP GET of /metrics. */
  interface Scraper {
    String scrape() throws Exception;
  }

  /**
   * A scrape taken once every earlier request is recorded: polls until the scrape itself is the only
   * request in progress (Lookout releases the gauge last), then scrapes once more, because one scrape
   * collects the counters before the gauge.
   */
  static MetricsText settled(Scraper scraper) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      double inProgress = 0;
      for (Sample s : parse(scraper.scrape()).samples) {
        if (s.name().equals("http_requests_in_progress")) {
          inProgress += s.value();
        }
      }
      if (inProgress == 1) {
        break;
      }
      Thread.sleep(10);
    }
    return parse(scraper.scrape());
  }

  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }
}
