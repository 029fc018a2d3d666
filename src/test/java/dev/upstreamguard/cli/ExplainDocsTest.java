package dev.upstreamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walks docs/explain.md and the README show are what explain prints today: each is run again over the demo cluster
 * (the running demo holds the same manifests, so {@code GET /explain} prints the same) and must appear there verbatim.
 */
class ExplainDocsTest {
    static final Path DOC = Path.of("docs/explain.md");

    @TempDir
    Path dir;

    static String explain(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        ExplainCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theDemoWalksInTheDocsAreCurrent() throws IOException {
        var doc = Files.readString(DOC);
        for (var url : new String[] {"https://shop.example.com/api/orders", "http://shop.example.com/catalog/shoes",
                "https://shop.exmaple.com/"}) {
            var text = explain(url, "--cluster", "examples/demo-cluster");
            assertThat(doc).as(url).contains("explain?url=" + url + "'\n" + text);
        }
    }

    @Test
    void theBrokenWalkInTheDocsIsCurrent() throws IOException {
        for (var f : new String[] {"00-namespace.yaml", "10-web.yaml", "20-api.yaml", "30-cart.yaml", "40-ingress.yaml",
                "50-gateway.yaml"}) {
            Files.copy(Path.of("examples/demo-cluster", f), dir.resolve(f));
        }
        try (var demo = Files.list(Path.of("examples/demo-cluster"))) {
            assertThat(demo.count()).as("every demo file is copied above").isEqualTo(6);
        }
        Files.copy(Path.of("examples/explain/api-pods-oomkilled.yaml"), dir.resolve("api-pods-oomkilled.yaml"));
        var text = explain("https://shop.example.com/api/orders", "--cluster", dir.toString());
        assertThat(text).contains("last terminated OOMKilled (exit 137)");
        assertThat(Files.readString(DOC)).contains("--cluster /tmp/shop\n" + text + "$ echo $?\n1\n");
    }

    @Test
    void theReadmeExcerptIsCurrent() throws IOException {
        var text = explain("https://shop.example.com/api/orders", "--cluster", "examples/demo-cluster");
        var readme = Files.readString(Path.of("README.md"));
        var start = readme.indexOf("explain?url=https://shop.example.com/api/orders'\n...\n");
        assertThat(start).as("the README's explain example").isPositive();
        var end = readme.indexOf("...\nroute healthy\n", start);
        var excerpt = readme.substring(readme.indexOf("...\n", start) + 4, end);
        assertThat(text).contains(excerpt).endsWith("route healthy\n");
    }
}
