package io.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The Markdown file results are appended to ({@code BENCHMARKS.md} by default).
 *
 * <p>Why append-only and machine-written: published performance numbers are only credible if each
 * one can be traced to a command and a machine. Each run adds a section with the date, the exact
 * command and the machine; earlier sections are never rewritten, and the file's preamble says that
 * figures are not to be edited by hand.
 */
final class ResultsFile {

    static final String PREAMBLE = """
            # Benchmarks

            Every figure here is written by `./bench.sh` (the bench module); never edit figures by hand.
            """;

    private ResultsFile() {
    }

    /**
     * Appends {@code section} to {@code file}, creating it with the {@link #PREAMBLE} when it does
     * not exist. Existing content is never rewritten.
     */
    static void append(Path file, String section) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        StringBuilder text = new StringBuilder();
        if (!Files.exists(file) || Files.size(file) == 0) {
            text.append(PREAMBLE);
        } else if (!endsWithNewline(file)) {
            text.append('\n');
        }
        text.append('\n').append(section);
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return bytes.length > 0 && bytes[bytes.length - 1] == '\n';
    }
}
