package dev.upstreamguard.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/** Where the corpus of real apps is: {@code -Dcorpus.dir} (CI sets it and then requires it), else ../shared/corpus. */
public final class Corpus {
    private Corpus() {
    }

    public static Path dir() {
        var configured = System.getProperty("corpus.dir");
        if (configured != null) {
            var p = Path.of(configured);
            assertThat(p).as("corpus.dir=" + configured).isDirectory();
            return p;
        }
        var sibling = Path.of("../shared/corpus");
        Assumptions.assumeTrue(Files.isDirectory(sibling), "no corpus beside the checkout (CI sets corpus.dir)");
        return sibling;
    }
}
