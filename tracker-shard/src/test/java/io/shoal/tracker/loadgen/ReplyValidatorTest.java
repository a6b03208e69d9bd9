package io.shoal.tracker.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ReplyValidatorTest {
    private static final int LOOPBACK = 0x7F000001;
    private static final int BASE_PORT = 30000;
    private final Workload workload = new Workload(7, 50, 40, 4, BASE_PORT);
    /** A swarm of at least three members (out of 50 clients, so some clients are not members). */
    private final int torrent = swarmOfAtLeast(3);
    private final int announcer = workload.clientOf(torrent, 0);
    private final ReplyValidator strict = new ReplyValidator(workload, new byte[] {127, 0, 0, 1}, false, true);

    private int swarmOfAtLeast(int members) {
        for (int t = 0; t < workload.torrents(); t++) {
            if (workload.swarmSize(t) >= members && workload.swarmSize(t) < workload.clients()) {
                return t;
            }
        }
        throw new AssertionError("no swarm of " + members);
    }

    private int memberPort(int member) {
        return workload.portOf(workload.clientOf(torrent, member));
    }

    private int nonMemberPort() {
        for (int c = 0; c < workload.clients(); c++) {
            if (!workload.isMember(torrent, c)) {
                return workload.portOf(c);
            }
        }
        throw new AssertionError("every client is a member");
    }

    private int swarm() {
        return workload.swarmSize(torrent);
    }

    @Test
    void acceptsAnAnnounceWithOtherMembersOfTheSwarm() {
        assertThat(swarm()).isGreaterThanOrEqualTo(2);
        ByteBuffer reply = Replies.announce(9, 1800, 1, 1, LOOPBACK, memberPort(1));
        assertThat(strict.announce(reply, announcer, torrent, 50)).isEqualTo(Verdict.OK);
        assertThat(strict.peersSeen()).isEqualTo(1);
        assertThat(reply.position()).isZero();
    }

    @Test
    void acceptsAnEmptyPeerList() {
        assertThat(strict.announce(Replies.announce(9, 1800, 0, 0), announcer, torrent, 50)).isEqualTo(Verdict.OK);
    }

    @Test
    void rejectsALengthThatIsNotTwentyPlusSixPerPeer() {
        ByteBuffer reply = ByteBuffer.allocate(23).putInt(1).putInt(9).putInt(1800).putInt(1).putInt(1)
                .put(new byte[3]).flip();
        assertThat(strict.announce(reply, announcer, torrent, 50)).isEqualTo(Verdict.BAD_LENGTH);
        assertThat(strict.announce(ByteBuffer.allocate(12).putInt(1).putInt(9).putInt(5).flip(), announcer, torrent,
                50)).isEqualTo(Verdict.BAD_LENGTH);
    }

    @Test
    void rejectsMorePeersThanNumwant() {
        ByteBuffer reply = Replies.announce(9, 1800, 2, 1, LOOPBACK, memberPort(1), LOOPBACK, memberPort(2));
        assertThat(strict.announce(reply, announcer, torrent, 1)).isEqualTo(Verdict.TOO_MANY_PEERS);
    }

    @Test
    void rejectsTheAnnouncerInItsOwnPeerListUnlessAllowed() {
        ByteBuffer reply = Replies.announce(9, 1800, 1, 1, LOOPBACK, memberPort(0));
        assertThat(strict.announce(reply, announcer, torrent, 50)).isEqualTo(Verdict.SELF_PEER);
        ReplyValidator allowing = new ReplyValidator(workload, new byte[] {127, 0, 0, 1}, true, true);
        assertThat(allowing.announce(reply, announcer, torrent, 50)).isEqualTo(Verdict.OK);
        assertThat(allowing.selfPeersSeen()).isEqualTo(1);
    }

    @Test
    void rejectsPeersThatAreNotMembersOfTheSwarmOrComeFromElsewhere() {
        assertThat(strict.announce(Replies.announce(9, 1800, 1, 1, LOOPBACK, nonMemberPort()), announcer, torrent,
                50)).isEqualTo(Verdict.FOREIGN_PEER);
        assertThat(strict.announce(Replies.announce(9, 1800, 1, 1, 0x0A000001, memberPort(1)), announcer, torrent,
                50)).isEqualTo(Verdict.FOREIGN_PEER);
        ReplyValidator lenient = new ReplyValidator(workload, new byte[] {127, 0, 0, 1}, false, false);
        assertThat(lenient.announce(Replies.announce(9, 1800, 1, 1, 0x0A000001, nonMemberPort()), announcer, torrent,
                50)).isEqualTo(Verdict.OK);
    }

    @Test
    void rejectsTheSamePeerTwice() {
        ByteBuffer reply = Replies.announce(9, 1800, 2, 1, LOOPBACK, memberPort(1), LOOPBACK, memberPort(1));
        assertThat(strict.announce(reply, announcer, torrent, 50)).isEqualTo(Verdict.DUPLICATE_PEER);
    }

    @Test
    void rejectsCountsThatCannotBeTrue() {
        assertThat(strict.announce(Replies.announce(9, 1800, -1, 1), announcer, torrent, 50))
                .isEqualTo(Verdict.NEGATIVE_COUNT);
        assertThat(strict.announce(Replies.announce(9, 1800, swarm(), 1), announcer, torrent, 50))
                .as("more peers counted than the swarm has").isEqualTo(Verdict.IMPLAUSIBLE_COUNT);
        assertThat(strict.announce(Replies.announce(9, 1800, 0, 0, LOOPBACK, memberPort(1)), announcer, torrent, 50))
                .as("a peer returned from an empty swarm").isEqualTo(Verdict.IMPLAUSIBLE_COUNT);
    }

    @Test
    void rejectsANonPositiveInterval() {
        assertThat(strict.announce(Replies.announce(9, 0, 0, 1), announcer, torrent, 50))
                .isEqualTo(Verdict.BAD_INTERVAL);
    }

    @Test
    void errorRepliesAreErrorsWithTheirMessage() {
        ByteBuffer reply = Replies.error(9, "Connection ID missmatch.");
        assertThat(strict.announce(reply, announcer, torrent, 50)).isEqualTo(Verdict.TRACKER_ERROR);
        assertThat(strict.scrape(reply, new int[] {1}, 1)).isEqualTo(Verdict.TRACKER_ERROR);
        assertThat(strict.connect(reply)).isEqualTo(Verdict.TRACKER_ERROR);
        assertThat(ReplyValidator.errorMessage(reply)).isEqualTo("Connection ID missmatch.");
        assertThat(Verdict.TRACKER_ERROR.isInvalid()).isFalse();
    }

    @Test
    void rejectsTheWrongAction() {
        assertThat(strict.announce(Replies.scrape(9, 0, 0, 0), announcer, torrent, 50))
                .isEqualTo(Verdict.WRONG_ACTION);
        assertThat(strict.scrape(Replies.announce(9, 1800, 0, 0), new int[] {1}, 1)).isEqualTo(Verdict.WRONG_ACTION);
        assertThat(strict.connect(Replies.announce(9, 1800, 0, 0))).isEqualTo(Verdict.WRONG_ACTION);
    }

    @Test
    void checksScrapeSizesAndCounts() {
        int[] torrents = {torrent, torrent};
        assertThat(strict.scrape(Replies.scrape(9, 1, 0, 1, 0, 5, 0), torrents, 2)).isEqualTo(Verdict.OK);
        assertThat(strict.scrape(Replies.scrape(9, 1, 0, 1), torrents, 2)).isEqualTo(Verdict.BAD_LENGTH);
        assertThat(strict.scrape(Replies.scrape(9, 1, 0, 1, 0, 0, 0, 0, 0, 0), torrents, 2))
                .isEqualTo(Verdict.BAD_LENGTH);
        assertThat(strict.scrape(Replies.scrape(9, 1, -3, 1, 0, 0, 0), torrents, 2))
                .isEqualTo(Verdict.NEGATIVE_COUNT);
        assertThat(strict.scrape(Replies.scrape(9, swarm(), 0, 1, 0, 0, 0), torrents, 2))
                .isEqualTo(Verdict.IMPLAUSIBLE_COUNT);
    }

    @Test
    void checksConnectReplies() {
        ByteBuffer reply = Replies.connect(9, 0x1234_5678_9ABC_DEF0L);
        assertThat(strict.connect(reply)).isEqualTo(Verdict.OK);
        assertThat(ReplyValidator.connectionId(reply)).isEqualTo(0x1234_5678_9ABC_DEF0L);
        assertThat(strict.connect(ByteBuffer.allocate(12).putInt(0).putInt(9).putInt(1).flip()))
                .isEqualTo(Verdict.BAD_LENGTH);
        assertThat(strict.connect(ByteBuffer.allocate(4).putInt(0).flip())).isEqualTo(Verdict.TOO_SHORT);
    }
}
