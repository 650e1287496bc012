package io.thermocline.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.thermocline.common.metadata.TableBucket;

import org.junit.jupiter.api.Test;

import java.util.Map;

class TieredOffsetsTest {
    @Test
    void offsetsOfPlainAndPartitionedBucketsRoundTrip() {
        TieredOffsets offsets = new TieredOffsets(5, 42, Map.of(new TableBucket(5, 0), 10L, new TableBucket(5, 3), 7L,
                new TableBucket(5, 12, 1), 99L));
        assertThat(offsets.encodedOffsets()).isEqualTo("0=10,3=7,12/1=99");
        TieredOffsets decoded = TieredOffsets.decode(5, 42, offsets.encodedOffsets());
        assertThat(decoded).isEqualTo(offsets);
        assertThat(decoded.endOffset(new TableBucket(5, 1))).isZero();
        assertThat(TieredOffsets.decode(5, 1, "").endOffsets()).isEmpty();
        assertThat(offsets.toSummary()).containsEntry(TieredOffsets.EPOCH, "42").containsEntry(TieredOffsets.TABLE_ID, "5");
    }
}
