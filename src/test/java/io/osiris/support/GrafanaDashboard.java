package io.osiris.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard in openshift/grafana: the metric names its panels query. */
public final class GrafanaDashboard {

    public static final Path FILE = Path.of("openshift/grafana/osiris-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:osiris|camel|jvm|process)_[a-z0-9_]+)");

    private GrafanaDashboard() {
    }

    /** Every metric name in a panel query that starts with {@code prefix}. */
    public static Set<String> metrics(String prefix) throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : new ObjectMapper().readTree(FILE.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.path("expr").asText());
                while (m.find()) {
                    if (m.group(1).startsWith(prefix)) {
                        names.add(m.group(1));
                    }
                }
            }
        }
        return names;
    }
}
