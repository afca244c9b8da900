package io.osiris;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the service's main method sets before Spring starts. */
class OsirisApplicationTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(OsirisApplication.HTTP_CLIENT_BUFFER);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(OsirisApplication.HTTP_CLIENT_BUFFER);
        } else {
            System.setProperty(OsirisApplication.HTTP_CLIENT_BUFFER, before);
        }
    }

    @Test
    void theJdkHttpClientReadsInBuffersOf64KiBByDefault() {
        System.clearProperty(OsirisApplication.HTTP_CLIENT_BUFFER);
        OsirisApplication.largerHttpClientBuffers();
        assertThat(System.getProperty(OsirisApplication.HTTP_CLIENT_BUFFER)).isEqualTo("65536");
    }

    @Test
    void aBufferSizeGivenOnTheCommandLineIsKept() {
        System.setProperty(OsirisApplication.HTTP_CLIENT_BUFFER, "16384");
        OsirisApplication.largerHttpClientBuffers();
        assertThat(System.getProperty(OsirisApplication.HTTP_CLIENT_BUFFER)).isEqualTo("16384");
    }
}
