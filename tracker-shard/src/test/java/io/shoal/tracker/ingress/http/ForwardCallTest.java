package io.shoal.tracker.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForwardCallTest {
    private static final long TIMEOUT = 2_000_000_000L;

    @Test
    void aReplicaThatHeldTheRequestForHalfTheTimeoutOrMoreIsAtFault() {
        assertThat(ForwardCall.replicaAtFault(0, TIMEOUT, TIMEOUT)).isTrue();
        assertThat(ForwardCall.replicaAtFault(0, TIMEOUT / 2, TIMEOUT)).isTrue();
        // nanoTime may be negative and wrap: only differences count
        assertThat(ForwardCall.replicaAtFault(Long.MAX_VALUE, Long.MAX_VALUE + TIMEOUT, TIMEOUT)).isTrue();
    }

    @Test
    void aRequestThatSpentMostOfItsTimeWaitingForAConnectionDoesNotBlameTheReplica() {
        assertThat(ForwardCall.replicaAtFault(0, TIMEOUT / 2 - 1, TIMEOUT)).isFalse();
        assertThat(ForwardCall.replicaAtFault(TIMEOUT - 1000, TIMEOUT, TIMEOUT)).isFalse();
    }
}
