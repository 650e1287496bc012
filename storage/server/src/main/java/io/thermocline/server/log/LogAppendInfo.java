package io.thermocline.server.log;

/** What an append wrote: its offsets, the commit timestamp it got, and its size. */
public record LogAppendInfo(long firstOffset, long lastOffset, long commitTimestamp, int recordCount, int sizeInBytes) {}
