package io.thermocline.benchmarks.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The markdown report of a chaos run. */
final class ChaosReport {
    private ChaosReport() {}

    static String markdown(ChaosBenchmark.Plan plan, ChaosBenchmark.Outcome outcome) {
        StringBuilder text = new StringBuilder(plan.tieringTorture() ? "# Tiering torture\n\n" : "# Chaos run\n\n");
        text.append("Two coordinators, three tablet servers and ").append(plan.tieringJobs() == 1 ? "the tiering job"
                : plan.tieringJobs() + " tiering jobs").append(", each an OS process; ZooKeeper session"
                + " timeout 3 s. An idempotent acks=all writer appends about ").append(plan.rowsPerSecond())
                .append(" rows/s to a log table and upserts half as many to a primary-key table (3 buckets each,"
                        + " replication 3, min ISR 2, lake-enabled), while a streaming reader reads the log table and"
                        + " faults are done one at a time, each followed by a full heal. Ran ")
                .append(outcome.ran().toMinutes()).append(" min ").append(outcome.ran().toSecondsPart())
                .append(" s; ").append(outcome.lakeCommits()).append(" lake commits of the log table seen.");
        if (plan.tieringTorture()) {
            text.append(" Auto-maintenance on (bin-packing, snapshot expiry); a tiering job killed every ")
                    .append(plan.commitsBetweenFaults()).append(" commits; at the end an operator's commit and snapshot"
                            + " expiry dropped the lake's history of tiered offsets, and tiering went on.");
        }
        text.append("\n\n");
        text.append("Verdict: **").append(outcome.passed() ? "passed" : "FAILED").append("**\n\n");
        text.append("| fault | done | recovered when | p50 | max |\n|---|---|---|---|---|\n");
        for (Map.Entry<ChaosFaults.Kind, List<Long>> kind : outcome.recoveries().entrySet()) {
            List<Long> times = new ArrayList<>(kind.getValue());
            Collections.sort(times);
            text.append("| ").append(kind.getKey().fault).append(" | ").append(times.size()).append(" | ")
                    .append(kind.getKey().recoveredWhen).append(" | ")
                    .append(times.isEmpty() ? "-" : times.get(times.size() / 2) + " ms").append(" | ")
                    .append(times.isEmpty() ? "-" : times.get(times.size() - 1) + " ms").append(" |\n");
        }
        text.append("\n| check | count |\n|---|---|\n");
        outcome.counts().forEach((name, count) -> text.append("| ").append(name.replace("wrong: ", ""))
                .append(name.startsWith("wrong: ") ? " (must be 0)" : "").append(" | ")
                .append(String.format("%,d", count)).append(" |\n"));
        return text.toString();
    }
}
