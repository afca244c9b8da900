package io.osiris.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.osiris.support.RunningOsiris;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Secrets are masked in what is stored, through the REST door, and the record counts them by rule. */
@TestPropertySource(properties = {
        "osiris.redaction.exempt-namespaces=raw",
        "osiris.redaction.values=release-signing-passphrase-42"})
class SecretRedactionTest extends RunningOsiris {

    private static final String LOG = "Step 1/3 : FROM registry/base\n"
            + "env: AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
            + "cloning with ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\n"
            + "auth eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fw sent\n"
            + "mvn -Dpassword=hunter22 deploy\n"
            + "signing with release-signing-passphrase-42\n"
            + "done\n";
    private static final String MASKED = "Step 1/3 : FROM registry/base\n"
            + "env: AWS_SECRET_ACCESS_KEY=[MASKED]\n"
            + "cloning with [MASKED]\n"
            + "auth [MASKED] sent\n"
            + "mvn -Dpassword=[MASKED] deploy\n"
            + "signing with [MASKED]\n"
            + "done\n";

    @Test
    void aLogIsStoredWithItsSecretsMaskedAndTheRecordCountsThemByRule() throws IOException {
        String build = "/api/v1/namespaces/team-a/builds/app-1";
        client.putJson(build, buildJson("Complete"));

        HttpResponse<String> put = client.putLog(build + "/log", LOG);

        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(client.get(build + "/log").body()).isEqualTo(MASKED);
        JsonNode masked = parse(client.get(build).body()).path("log").path("masked");
        assertThat(json.convertValue(masked, java.util.Map.class)).isEqualTo(java.util.Map.of(
                "aws-secret-access-key", 1, "github-token", 1, "jwt", 1, "secret-assignment", 1,
                "configured-value", 1));
        assertThat(parse(client.get(build).body()).path("log").path("lines").asLong()).isEqualTo(7);
        String stored = gunzip(parse(put.body()).path("key").asText());
        assertThat(stored).isEqualTo(MASKED).doesNotContain("hunter22").doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void anExemptNamespaceKeepsItsLogsAsTheyCame() {
        String build = "/api/v1/namespaces/raw/builds/app-1";
        client.putJson(build, buildJson("Complete"));

        client.putLog(build + "/log", LOG);

        assertThat(client.get(build + "/log").body()).isEqualTo(LOG);
        assertThat(parse(client.get(build).body()).path("log").has("masked")).isFalse();
    }

    @Test
    void aLogWithNothingToMaskIsStoredByteForByteAndSaysNothingWasMasked() {
        String build = "/api/v1/namespaces/team-a/builds/clean";
        client.putJson(build, buildJson("Complete"));
        String log = "[INFO] BUILD SUCCESS\npassword: ${DB_PASSWORD}\nthe bearer of news\n";

        client.putLog(build + "/log", log);

        assertThat(client.get(build + "/log").body()).isEqualTo(log);
        assertThat(parse(client.get(build).body()).path("log").has("masked")).isFalse();
    }

    private String gunzip(String key) throws IOException {
        try (var in = new GZIPInputStream(s3.getObject(b -> b.bucket(storage.bucket()).key(key)))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
