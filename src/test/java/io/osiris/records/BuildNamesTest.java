package io.osiris.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osiris.error.OsirisException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"app", "app-1", "my.app-2.build-3", "a"})
    void kubernetesNamesAreAccepted(String name) {
        assertThat(BuildNames.name(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", "a%2Fb", "A", "a_b", "-a", "a-", "a..b", " a", "a\nb"})
    void pathTricksAndNonKubernetesNamesAreRefused(String name) {
        assertThatThrownBy(() -> BuildNames.name(name)).isInstanceOf(OsirisException.class)
                .hasMessageContaining("not a valid Kubernetes name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"my.namespace", "x1234567890123456789012345678901234567890123456789012345678901234", "Default"})
    void namespacesAreDnsLabels(String namespace) {
        assertThatThrownBy(() -> BuildNames.namespace(namespace)).isInstanceOf(OsirisException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"_", "../x", "a b"})
    void uidsCannotCollideWithTheNoUidFolderOrEscapeIt(String uid) {
        assertThatThrownBy(() -> BuildNames.uid(uid)).isInstanceOf(OsirisException.class);
    }
}
