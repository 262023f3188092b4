package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Path;

/** The results of one scenario run: a Markdown section appended to {@code --output}. */
public interface ResultSection {

    /** The section, starting with its {@code ##} heading. */
    String toMarkdown();

    /** Jobs that had to be delivered and were not; any makes the run exit non-zero. */
    long lost();

    /** Appends {@link #toMarkdown()} to {@code file} ({@link ResultsFile#append}). */
    default void appendTo(Path file) throws IOException {
        ResultsFile.append(file, toMarkdown());
    }
}
