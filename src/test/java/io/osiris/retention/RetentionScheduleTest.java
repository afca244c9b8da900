package io.osiris.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.support.Await;
import io.osiris.support.RunningOsiris;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Nobody asks: the scheduled pass on the leader (here the single replica's file lock) applies the policies. */
@TestPropertySource(properties = {
        "osiris.retention.first-run=5s", // after the test has written its builds
        "osiris.retention.interval=2s",
        "osiris.retention.policies[0].name=week",
        "osiris.retention.policies[0].max-age=7d"})
class RetentionScheduleTest extends RunningOsiris {

    @Test
    void theScheduledPassDeletesWhatIsPastItsAgeOnItsOwn() throws Exception {
        String old = "/api/v1/namespaces/ret-schedule/builds/old";
        String recent = "/api/v1/namespaces/ret-schedule/builds/recent";
        Instant tenDaysAgo = Instant.now().minus(Duration.ofDays(10));
        client.putJson(old, "{\"phase\":\"Complete\",\"completionTimestamp\":\"" + tenDaysAgo + "\"}");
        client.putLog(old + "/log", "old\n");
        client.putJson(recent, "{\"phase\":\"Complete\",\"completionTimestamp\":\"" + Instant.now() + "\"}");

        Await.value(Duration.ofSeconds(30), () -> client.get(old).statusCode() == 404 ? true : null);
        assertThat(storedKeys("builds/local/ret-schedule/old/")).isEmpty();
        assertThat(client.get(recent).statusCode()).isEqualTo(200);
    }
}
