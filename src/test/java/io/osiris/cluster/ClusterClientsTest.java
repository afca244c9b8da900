package io.osiris.cluster;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osiris.error.OsirisException;
import io.osiris.support.DevCertificates;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** A registration's access is refused before it is kept when it could never reach its cluster. */
class ClusterClientsTest {

    private static ClusterAccess token(String apiUrl, String caCert, String token) {
        return new ClusterAccess(apiUrl, caCert, null, token, null, null, null);
    }

    @Test
    void aUrlACertificateAndATokenAsTheClusterExpectsThemAreTaken() throws Exception {
        String ca = Files.readString(DevCertificates.TRUSTED.resolve("ca.crt"));
        assertThatCode(() -> ClusterClients.validate(token("https://api.prod.example.com:6443", ca, "abc.def-ghi")))
                .doesNotThrowAnyException();
    }

    @Test
    void whatCouldNeverReachTheClusterIsABadRequestNamingTheField() {
        assertRefused(token("https://", null, "t"), "apiUrl");
        assertRefused(token("http://api.example.com:6443", null, "t"), "apiUrl");
        assertRefused(token("https://api.example.com:6443", "not a certificate", "t"), "caCert");
        assertRefused(token("https://api.example.com:6443", null, "two\nlines"), "token");
        assertRefused(token("https://api.example.com:6443", null, null), "credentials");
    }

    private static void assertRefused(ClusterAccess access, String field) {
        assertThatThrownBy(() -> ClusterClients.validate(access)).isInstanceOfSatisfying(OsirisException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field));
    }
}
