package dev.jchat.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (the format's grammar, not a
 * pattern match): {@code # HELP} and {@code # TYPE} lines, samples {@code name{label="value",...}
 * value [timestamp]} with the format's escapes and float syntax ({@code +Inf}, {@code NaN}). It
 * rejects what Prometheus would: a bad name, a bad escape, a duplicate series, a second TYPE, a
 * TYPE after its samples, a counter sample without {@code _total}, histogram buckets that are not
 * cumulative or lack {@code +Inf}.
 */
final class PrometheusText {
  /** One sample: metric name, labels (sorted), value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private final Map<String, String> types = new HashMap<>();
  private final Map<String, Sample> series = new TreeMap<>();

  private PrometheusText() {}

  static PrometheusText parse(String text) {
    PrometheusText parsed = new PrometheusText();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      try {
        parsed.line(line);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + ": " + line);
      }
    }
    parsed.checkHistograms();
    return parsed;
  }

  /** The value of {@code name} with exactly these labels; null when there is no such series. */
  Double value(String name, String... labels) {
    Map<String, String> want = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      want.put(labels[i], labels[i + 1]);
    }
    Sample s = series.get(key(name, want));
    return s == null ? null : s.value();
  }

  /** Every series of the metric family {@code name}. */
  List<Sample> family(String name) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : series.values()) {
      if (s.name().equals(name)) {
        out.add(s);
      }
    }
    return out;
  }

  String type(String family) {
    return types.get(family);
  }

  private void line(String line) {
    if (line.startsWith("#")) {
      comment(line);
      return;
    }
    Cursor c = new Cursor(line);
    String name = c.name();
    Map<String, String> labels = new TreeMap<>();
    if (c.peek() == '{') {
      labels = c.labels();
    }
    c.expect(' ');
    double value = c.number();
    if (!c.done()) {
      c.expect(' ');
      Long.parseLong(c.rest()); // a timestamp in milliseconds
    }
    String family = familyOf(name);
    if ("counter".equals(types.get(family)) && !name.endsWith("_total")) {
      throw new IllegalArgumentException("a counter sample must end in _total");
    }
    String key = key(name, labels);
    if (series.put(key, new Sample(name, labels, value)) != null) {
      throw new IllegalArgumentException("duplicate series " + key);
    }
  }

  private void comment(String line) {
    String[] parts = line.split(" ", 4);
    if (parts.length < 3 || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
      return;
    }
    new Cursor(parts[2]).name(); // validates
    if (parts[1].equals("TYPE")) {
      String type = parts.length > 3 ? parts[3] : "";
      if (!List.of("counter", "gauge", "histogram", "summary", "untyped").contains(type)) {
        throw new IllegalArgumentException("unknown type " + type);
      }
      if (types.put(parts[2], type) != null) {
        throw new IllegalArgumentException("second TYPE");
      }
      for (Sample s : series.values()) {
        if (familyOf(s.name()).equals(parts[2])) {
          throw new IllegalArgumentException("TYPE late");
        }
      }
    }
  }

  /** The family a sample belongs to: its name, or that without a histogram/summary suffix. */
  private String familyOf(String name) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum", "_total")) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        if (types.containsKey(base)) {
          return base;
        }
      }
    }
    return name;
  }

  private void checkHistograms() {
    for (Map.Entry<String, String> t : types.entrySet()) {
      if (!t.getValue().equals("histogram")) {
        continue;
      }
      Map<String, List<Sample>> byLabels = new TreeMap<>();
      for (Sample s : family(t.getKey() + "_bucket")) {
        Map<String, String> rest = new TreeMap<>(s.labels());
        rest.remove("le");
        byLabels.computeIfAbsent(rest.toString(), k -> new ArrayList<>()).add(s);
      }
      for (List<Sample> buckets : byLabels.values()) {
        buckets.sort((a, b) -> Double.compare(le(a), le(b)));
        for (int i = 1; i < buckets.size(); i++) {
          if (buckets.get(i).value() < buckets.get(i - 1).value()) {
            throw new IllegalArgumentException(t.getKey() + " buckets are not cumulative");
          }
        }
        if (buckets.isEmpty() || le(buckets.get(buckets.size() - 1)) != Double.POSITIVE_INFINITY) {
          throw new IllegalArgumentException(t.getKey() + " has no +Inf bucket");
        }
      }
    }
  }

  private static double le(Sample s) {
    return parseFloat(s.labels().get("le"));
  }

  private static String key(String name, Map<String, String> labels) {
    return name + labels;
  }

  static double parseFloat(String s) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        if (!s.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
          throw new IllegalArgumentException("not a number: " + s);
        }
        yield Double.parseDouble(s);
      }
    };
  }

  /** Reads one sample line left to right. */
  private static final class Cursor {
    private final String s;
    private int i;

    Cursor(String s) {
      this.s = s;
    }

    char peek() {
      return i < s.length() ? s.charAt(i) : '\0';
    }

    boolean done() {
      return i == s.length();
    }

    void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + i);
      }
      i++;
    }

    String name() {
      int start = i;
      while (i < s.length()) {
        char c = s.charAt(i);
        boolean ok =
            Character.isLetter(c) && c < 128
                || c == '_'
                || c == ':'
                || (i > start && c >= '0' && c <= '9');
        if (!ok) {
          break;
        }
        i++;
      }
      if (i == start) {
        throw new IllegalArgumentException("no metric name at " + start);
      }
      return s.substring(start, i);
    }

    Map<String, String> labels() {
      Map<String, String> labels = new TreeMap<>();
      expect('{');
      while (peek() != '}') {
        String name = name();
        if (name.contains(":")) {
          throw new IllegalArgumentException("':' in a label name");
        }
        expect('=');
        expect('"');
        StringBuilder value = new StringBuilder();
        while (peek() != '"') {
          char c = s.charAt(i++);
          if (c == '\\') {
            char e = s.charAt(i++);
            switch (e) {
              case '\\' -> value.append('\\');
              case '"' -> value.append('"');
              case 'n' -> value.append('\n');
              default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
          } else {
            value.append(c);
          }
          if (done()) {
            throw new IllegalArgumentException("unterminated label value");
          }
        }
        expect('"');
        if (labels.put(name, value.toString()) != null) {
          throw new IllegalArgumentException("label " + name + " twice");
        }
        if (peek() == ',') {
          i++;
        }
      }
      expect('}');
      return labels;
    }

    double number() {
      int end = s.indexOf(' ', i);
      String token = end < 0 ? s.substring(i) : s.substring(i, end);
      i += token.length();
      return parseFloat(token);
    }

    String rest() {
      String r = s.substring(i);
      i = s.length();
      return r;
    }
  }
}
