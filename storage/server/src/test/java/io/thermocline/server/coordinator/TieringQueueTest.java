package io.thermocline.server.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thermocline.common.exception.FencedTieringEpochException;
import io.thermocline.common.metadata.TablePath;
import io.thermocline.common.testutils.ManualClock;

import org.junit.jupiter.api.Test;

import java.time.Duration;

class TieringQueueTest {
    private final ManualClock clock = new ManualClock(1_000_000);
    private final TieringQueue queue = new TieringQueue(clock, Duration.ofSeconds(30), Duration.ofSeconds(5),
            Duration.ofSeconds(60));

    @Test
    void aTableIsDueAfterItsFreshnessAndHeldByOneJobAtATime() {
        queue.reset(3);
        queue.add(1, TablePath.of("db", "a"), Duration.ofMinutes(1));
        assertThat(queue.acquire("job-1")).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        TieringQueue.Round round = queue.acquire("job-1").orElseThrow();
        assertThat(round.tableId()).isEqualTo(1);
        assertThat(round.epoch() >>> 32).as("the coordinator epoch is the high half").isEqualTo(3);
        assertThat(queue.acquire("job-2")).isEmpty();
        queue.heartbeat("job-1", 1, round.epoch());
        assertThatThrownBy(() -> queue.heartbeat("job-2", 1, round.epoch()))
                .isInstanceOf(FencedTieringEpochException.class).hasMessageContaining("job-1");

        clock.advance(Duration.ofSeconds(20));
        queue.finish(1, round.epoch(), false);
        assertThat(queue.acquire("job-2")).as("due a freshness after the round began").isEmpty();
        clock.advance(Duration.ofSeconds(40));
        assertThat(queue.acquire("job-2")).isPresent();
    }

    @Test
    void aRoundThatLeftABacklogMakesItsTableDueAtOnce() {
        queue.reset(1);
        queue.add(1, TablePath.of("db", "a"), Duration.ofMinutes(3));
        clock.advance(Duration.ofMinutes(3));
        TieringQueue.Round round = queue.acquire("job").orElseThrow();
        clock.advance(Duration.ofSeconds(10));
        queue.finish(1, round.epoch(), true);
        assertThat(queue.acquire("job")).as("the rest of the backlog, not a freshness later").isPresent();
    }

    @Test
    void aSilentJobLosesItsTableAndItsEpochIsFenced() {
        queue.reset(1);
        queue.add(1, TablePath.of("db", "a"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        TieringQueue.Round first = queue.acquire("slow").orElseThrow();
        clock.advance(Duration.ofSeconds(31));
        TieringQueue.Round second = queue.acquire("fast").orElseThrow();
        assertThat(second.epoch()).isGreaterThan(first.epoch());
        assertThatThrownBy(() -> queue.heartbeat("slow", 1, first.epoch())).isInstanceOf(FencedTieringEpochException.class);
        assertThatThrownBy(() -> queue.finish(1, first.epoch(), false)).isInstanceOf(FencedTieringEpochException.class)
                .hasMessageContaining("round " + first.epoch()).hasMessageContaining("table id 1");
        queue.finish(1, second.epoch(), false);
    }

    @Test
    void aFailedRoundIsRetriedSoonAndANewTermFencesEveryOldEpoch() {
        queue.reset(1);
        queue.add(1, TablePath.of("db", "a"), Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(10));
        TieringQueue.Round round = queue.acquire("job").orElseThrow();
        queue.fail(1, round.epoch(), "disk full");
        assertThat(queue.acquire("job")).isEmpty();
        clock.advance(Duration.ofSeconds(5));
        TieringQueue.Round retried = queue.acquire("job").orElseThrow();

        queue.reset(2);
        queue.add(1, TablePath.of("db", "a"), Duration.ofMinutes(10));
        assertThatThrownBy(() -> queue.checkCurrent(1, retried.epoch())).isInstanceOf(FencedTieringEpochException.class);
        clock.advance(Duration.ofMinutes(10));
        assertThat(queue.acquire("job").orElseThrow().epoch()).isGreaterThan(retried.epoch());
        queue.remove(1);
        assertThatThrownBy(() -> queue.checkCurrent(1, retried.epoch())).hasMessageContaining("dropped");
    }

    @Test
    void failuresInARowBackOffToTheMaximumAndASuccessEndsThePause() {
        queue.reset(1);
        queue.add(1, TablePath.of("db", "a"), Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(10));
        // 5 s, 10 s, 20 s, 40 s, then 60 s (the maximum) between tries.
        for (long wait : new long[] {5, 10, 20, 40, 60, 60}) {
            TieringQueue.Round round = queue.acquire("job").orElseThrow();
            queue.fail(1, round.epoch(), "lake unreachable");
            assertThat(queue.pausedTables()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(wait).minusMillis(1));
            assertThat(queue.acquire("job")).as("before %d s", wait).isEmpty();
            clock.advance(Duration.ofMillis(1));
        }
        TieringQueue.Round resumed = queue.acquire("job").orElseThrow();
        queue.finish(1, resumed.epoch(), false);
        assertThat(queue.pausedTables()).isZero();
        // The next failure starts from the first delay again.
        clock.advance(Duration.ofMinutes(10));
        queue.fail(1, queue.acquire("job").orElseThrow().epoch(), "lake unreachable");
        clock.advance(Duration.ofSeconds(5));
        assertThat(queue.acquire("job")).isPresent();
    }
}
