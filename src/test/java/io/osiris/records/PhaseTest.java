package io.osiris.records;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhaseTest {

    @Test
    void everyEndOfABuildIsTerminal() {
        assertThat(Phase.values()).filteredOn(Phase::isTerminal)
                .containsExactly(Phase.Complete, Phase.Failed, Phase.Error, Phase.Cancelled);
    }

    @Test
    void eventReasonsAndSpellingsAreUnderstood() {
        assertThat(Phase.parse("BuildCompleted")).contains(Phase.Complete);
        assertThat(Phase.parse("BuildFailed")).contains(Phase.Failed);
        assertThat(Phase.parse("BuildCancelled")).contains(Phase.Cancelled);
        assertThat(Phase.parse("canceled")).contains(Phase.Cancelled);
        assertThat(Phase.parse("RUNNING")).contains(Phase.Running);
        assertThat(Phase.parse("sleeping")).isEmpty();
    }
}
