package io.thermocline.common.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a generated documentation file; with -Dregenerate, rewrites it first. */
public final class GeneratedDocs {
    private GeneratedDocs() {}

    public static void assertUpToDate(Path file, String expected) throws IOException {
        if (System.getProperty("regenerate") != null) {
            Files.writeString(file, expected);
        }
        assertThat(Files.readString(file)).isEqualTo(expected);
    }
}
