package io.osiris.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.records.BuildRef;
import org.junit.jupiter.api.Test;

class BuildKeysTest {

    @Test
    void oneDeterministicPlacePerBuildRecord() {
        BuildKeys keys = new BuildKeys("cluster-a", StorageProperties.Compression.gzip);

        assertThat(keys.recordKey(new BuildRef("ns", "app-1", "u-1"))).isEqualTo("cluster-a/builds/ns/app-1/u-1/build.json");
        assertThat(keys.logKey(new BuildRef("ns", "app-1", null))).isEqualTo("cluster-a/builds/ns/app-1/_/log.gz");
        assertThat(keys.namePrefix("ns", "app-1")).isEqualTo("cluster-a/builds/ns/app-1/");
    }

    @Test
    void prefixIsNormalisedAndCompressionNamesTheObject() {
        BuildKeys keys = new BuildKeys("/logs/", StorageProperties.Compression.none);

        assertThat(keys.logKey(new BuildRef("ns", "b", "u"))).isEqualTo("logs/builds/ns/b/u/log");
        assertThat(new BuildKeys(null, StorageProperties.Compression.gzip).buildsRoot()).isEqualTo("builds/");
    }
}
