package io.osiris.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /actuator/prometheus} in the Prometheus text format: series name with labels to value. */
public final class PrometheusScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
    private final Map<String, Double> samples = new LinkedHashMap<>();
    private final String text;

    public PrometheusScrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (!line.startsWith("#") && m.matches()) {
                samples.put(m.group(1) + "{" + (m.group(3) == null ? "" : m.group(3)) + "}",
                        Double.parseDouble(m.group(4)));
            }
        }
    }

    public static PrometheusScrape of(OsirisClient client) {
        var response = client.get("/actuator/prometheus");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("scrape answered " + response.statusCode() + ": " + response.body());
        }
        return new PrometheusScrape(response.body());
    }

    /** The sum of the series of {@code name} whose labels include every {@code label="value"} given; 0 if none. */
    public double value(String name, String... labels) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(name + "{"))
                .filter(e -> {
                    for (String label : labels) {
                        if (!e.getKey().contains(label)) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Whether any series of this metric name is present. */
    public boolean has(String name) {
        return samples.keySet().stream().anyMatch(k -> k.startsWith(name + "{"));
    }

    public String text() {
        return text;
    }
}
