package io.thermocline.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.internal.record.MemoryLogRecords;
import io.thermocline.server.log.LeaderEpochCache.EpochEnd;
import io.thermocline.server.log.LeaderEpochCache.Entry;

import org.junit.jupiter.api.Test;


class LeaderEpochCacheTest extends LogTestBase {

    @Test
    void epochsAreRecordedByAppendsAndAnswerWhereEachEnds() {
        BucketLog log = open(config(4096, 512));
        log.appendAsLeader(batch(0, 10), 0);
        log.appendAsLeader(batch(10, 10), 0);
        log.appendAsLeader(batch(20, 5), 3);
        log.appendAsLeader(batch(25, 5), 7);
        assertThat(log.epochs()).containsExactly(new Entry(0, 0), new Entry(3, 20), new Entry(7, 25));
        assertThat(log.latestEpoch()).isEqualTo(7);
        assertThat(log.endOfEpoch(0)).isEqualTo(new EpochEnd(0, 20));
        assertThat(log.endOfEpoch(2)).isEqualTo(new EpochEnd(0, 20)); // an epoch this log never saw
        assertThat(log.endOfEpoch(3)).isEqualTo(new EpochEnd(3, 25));
        assertThat(log.endOfEpoch(9)).isEqualTo(new EpochEnd(7, 30));

        // truncation forgets the epochs it removed, and the file follows across a reopen
        log.truncateTo(22);
        assertThat(log.logEndOffset()).isEqualTo(20); // whole batches only
        assertThat(log.epochs()).containsExactly(new Entry(0, 0));
        log.close();
        BucketLog reopened = open(config(4096, 512));
        assertThat(reopened.epochs()).containsExactly(new Entry(0, 0));
        assertThat(reopened.endOfEpoch(5)).isEqualTo(new EpochEnd(0, 20));
    }

    @Test
    void followersLearnEpochsFromTheBatchesTheyCopy() {
        BucketLog leader = open(config(4096, 512));
        leader.appendAsLeader(batch(0, 4), 1);
        leader.appendAsLeader(batch(4, 4), 2);
        BucketLog follower = openAt(dir.resolve("follower"), config(4096, 512));
        MemoryLogRecords copied = ((FileLogRecords) leader.read(0, Integer.MAX_VALUE).records()).toMemory();
        follower.appendAsFollower(copied);
        assertThat(follower.epochs()).isEqualTo(leader.epochs());
        assertThat(follower.endOfEpoch(1)).isEqualTo(new EpochEnd(1, 4));
    }

    @Test
    void aLogWrittenBeforeEpochsWereRecordedBelongsToEpochZero() throws Exception {
        BucketLog log = open(config(4096, 512));
        log.appendAsLeader(batch(0, 6), 0);
        log.close();
        java.nio.file.Files.delete(dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT));
        assertThat(open(config(4096, 512)).epochs()).containsExactly(new Entry(0, 0));
    }
}
