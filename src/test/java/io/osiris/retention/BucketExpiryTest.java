package io.osiris.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.osiris.support.RunningOsiris;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * With an S3 lifecycle rule expiring the bucket's objects (its age in osiris.retention.bucket-expiry), the records
 * of builds whose objects the rule has expired go too, whatever their phase.
 */
@TestPropertySource(properties = {"osiris.retention.first-run=1h", "osiris.retention.bucket-expiry=3s"})
class BucketExpiryTest extends RunningOsiris {

    @Test
    void recordsFollowTheBucketsLifecycleRule() throws Exception {
        String expired = "/api/v1/namespaces/lifecycle/builds/expired";
        client.putJson(expired, buildJson("Running"));
        client.putLog(expired + "/log", "stored a while ago\n");
        Thread.sleep(4000);
        String fresh = "/api/v1/namespaces/lifecycle/builds/fresh";
        client.putJson(fresh, buildJson("Complete"));
        client.putLog(fresh + "/log", "just stored\n");

        JsonNode run = parse(client.send(HttpRequest.newBuilder(client.uri("/api/v1/retention/run"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()).body());

        assertThat(run.path("builds").size()).isEqualTo(1);
        assertThat(run.path("builds").get(0).path("name").asText()).isEqualTo("expired");
        assertThat(run.path("builds").get(0).path("policy").asText()).isEqualTo("bucket-lifecycle");
        assertThat(client.get(expired).statusCode()).isEqualTo(404);
        assertThat(client.get(fresh).statusCode()).isEqualTo(200);
    }
}
