package io.osiris.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/** Serves the OpenAPI contract (kept in YAML) as JSON; the same document the REST routes are built from. */
@Component("apiSpec")
public class ApiSpec {

    static final String LOCATION = "openapi/osiris-v1.yaml";

    private final byte[] json;

    public ApiSpec(ObjectMapper mapper) throws IOException {
        try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
            ObjectNode spec = (ObjectNode) new YAMLMapper().readTree(in);
            // served from this host: the API page then calls the server it came from
            spec.putArray("servers").addObject().put("url", "/api/v1");
            json = mapper.writeValueAsBytes(spec);
        }
    }

    public byte[] json() {
        return json;
    }
}
