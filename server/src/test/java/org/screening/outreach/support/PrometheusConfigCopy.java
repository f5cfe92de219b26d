package org.screening.outreach.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * deploy/prometheus/prometheus.yml with only what differs off compose's network changed: the rule file's path
 * (compose mounts alerts.yml at /etc/prometheus/alerts.yml) and, per scrape job given, the targets. Prometheus 2.x
 * does not expand environment variables in its configuration, so a machine without compose runs a rendered copy;
 * everything else (intervals, jobs, paths) stays as shipped.
 */
public final class PrometheusConfigCopy {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PrometheusConfigCopy() {}

    /** Writes the copy to {@code out}; {@code targets}: job name to its loopback targets (jobs not named keep theirs). */
    public static Path render(Path out, Map<String, List<String>> targets) throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(ShippedFiles.deploy("prometheus/prometheus.yml").toFile());
        ArrayNode rules = config.putArray("rule_files");
        rules.add(ShippedFiles.deploy("prometheus/alerts.yml").toString());
        for (JsonNode job : config.get("scrape_configs")) {
            List<String> jobTargets = targets.get(job.get("job_name").asText());
            if (jobTargets == null) continue;
            ArrayNode statics = ((ObjectNode) job).putArray("static_configs");
            ArrayNode list = statics.addObject().putArray("targets");
            jobTargets.forEach(list::add);
        }
        Files.createDirectories(out.getParent());
        YAML.writeValue(out.toFile(), config);
        return out;
    }
}
