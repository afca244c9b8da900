package io.osiris.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.records.BuildRef;
import org.junit.jupiter.api.Test;

class BuildKeysTest {

    @Test
    void oneDeterministicPlacePerBuildRecordUnderItsCluster() {
        BuildKeys keys = new BuildKeys("archive-a", StorageProperties.Compression.gzip);

        assertThat(keys.recordKey(new BuildRef("prod", "ns", "app-1", "u-1")))
                .isEqualTo("archive-a/builds/prod/ns/app-1/u-1/build.json");
        assertThat(keys.logKey(new BuildRef("dev", "ns", "app-1", null)))
                .isEqualTo("archive-a/builds/dev/ns/app-1/_/log.gz");
        assertThat(keys.recordKey(new BuildRef("dev", "ns", "app-1", "u-1")))
                .isNotEqualTo(keys.recordKey(new BuildRef("prod", "ns", "app-1", "u-1")));
    }

    @Test
    void prefixIsNormalisedAndCompressionNamesTheObject() {
        BuildKeys keys = new BuildKeys("/logs/", StorageProperties.Compression.none);

        assertThat(keys.logKey(new BuildRef("local", "ns", "b", "u"))).isEqualTo("logs/builds/local/ns/b/u/log");
        assertThat(new BuildKeys(null, StorageProperties.Compression.gzip).buildsRoot()).isEqualTo("builds/");
    }

    @Test
    void recordsOfTheLayoutBeforeClustersAreRecognisedByTheirDepth() {
        BuildKeys keys = new BuildKeys("a", StorageProperties.Compression.gzip);

        assertThat(keys.isUnclusteredRecordKey("a/builds/ns/app-1/u-1/build.json")).isTrue();
        assertThat(keys.isUnclusteredRecordKey("a/builds/local/ns/app-1/u-1/build.json")).isFalse();
        assertThat(keys.isUnclusteredRecordKey("a/builds/ns/app-1/u-1/log.gz")).isFalse();
    }
}
