package dev.vigil.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The samples of a Prometheus text-format page, parsed just enough for assertions. */
record Exposition(List<Sample> samples) {
    record Sample(String name, Map<String, String> labels, double value) {}

    private static final Pattern LINE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return new Exposition(samples);
    }

    /** The value of the sample named {@code name} whose labels are exactly {@code labels} (name, value, ...). */
    OptionalDouble value(String name, String... labels) {
        Map<String, String> want = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(want))
                .mapToDouble(Sample::value)
                .findFirst();
    }

    /** Samples named {@code name} with {@code label} equal to {@code value}. */
    List<Sample> with(String name, String label, String value) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && value.equals(s.labels().get(label)))
                .toList();
    }

    /** Every sample name on the page: counters with _total, histograms as _bucket, _sum and _count. */
    Set<String> names() {
        return samples.stream().map(Sample::name).collect(Collectors.toSet());
    }
}
