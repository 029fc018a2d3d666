package dev.upstreamguard.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.upstreamguard.support.Fixture;

/** Walks {@code src/test/resources/rules/<rule-id>/}: every breaks-* must produce that rule's finding, every fine-* none. */
class RuleFixturesTest {
    static final Path ROOT = Path.of("src/test/resources/rules");
    private final Evaluator evaluator = new Evaluator();

    @TestFactory
    Stream<DynamicNode> everyFixture() throws IOException {
        var nodes = new ArrayList<DynamicNode>();
        try (var dirs = Files.list(ROOT)) {
            for (var dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                nodes.add(DynamicContainer.dynamicContainer(dir.getFileName().toString(), cases(dir)));
            }
        }
        return nodes.stream();
    }

    private List<DynamicNode> cases(Path dir) throws IOException {
        var ruleId = dir.getFileName().toString();
        var clusterFile = dir.resolve("cluster.yaml");
        var out = new ArrayList<DynamicNode>();
        for (var file : Fixture.cases(dir, "breaks-")) {
            out.add(DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(), () -> {
                var fixture = Fixture.load(clusterFile, file);
                var eval = fixture.evaluateAfter(evaluator);
                assertEquals(List.of(), eval.failures(), "no rule may throw");
                var ids = eval.findings().stream().map(Finding::ruleId).toList();
                assertTrue(ids.contains(ruleId), fixture.description() + " (" + fixture.operation()
                        + ") should produce " + ruleId + ", got " + eval.findings());
                var expected = expectation(file);
                var hits = eval.findings().stream().filter(f -> f.ruleId().equals(ruleId)).toList();
                assertEquals(expected, hits.stream().map(f -> f.severity().label()).distinct().sorted()
                        .reduce((a, b) -> a + "," + b).orElse("none") + " x" + hits.size(),
                        fixture.description() + ": severity and count of " + ruleId + " findings");
                for (var f : eval.findings()) {
                    assertFalse(f.message().isBlank() || f.fix().isBlank() || f.summary().isBlank(), "finding text: " + f);
                }
                assertSameAsReviewed(fixture, eval);
            }));
        }
        for (var file : Fixture.cases(dir, "fine-")) {
            out.add(DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(), () -> {
                var fixture = Fixture.load(clusterFile, file);
                var eval = fixture.evaluateAfter(evaluator);
                assertEquals(List.of(), eval.failures(), "no rule may throw");
                var hits = eval.findings().stream().filter(f -> f.ruleId().equals(ruleId)).toList();
                assertEquals(List.of(), hits, fixture.description() + " (" + fixture.operation() + ") must not produce " + ruleId);
                assertSameAsReviewed(fixture, eval);
            }));
        }
        return out;
    }

    /** The {@code # expect: <severity> x<count>} line every breaks-* fixture carries under its description. */
    static String expectation(Path file) throws IOException {
        var line = Files.readAllLines(file).stream().filter(l -> l.startsWith("# expect: ")).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no '# expect: <severity> x<count>' line"));
        var value = line.substring("# expect: ".length()).trim();
        if (!value.matches("(error|warning) x[1-9][0-9]*")) {
            throw new AssertionError(file + ": '" + line + "' is not '# expect: error|warning x<count>'");
        }
        return value;
    }

    /** The webhook reads reviews without the fields no rule reads: the findings must not change. */
    private void assertSameAsReviewed(Fixture fixture, Evaluator.Evaluation whole) throws IOException {
        var reviewed = fixture.asReviewed().evaluateAfter(evaluator);
        assertEquals(texts(whole), texts(reviewed), "the case as read from an AdmissionReview must judge alike");
    }

    private static List<String> texts(Evaluator.Evaluation eval) {
        return eval.findings().stream().map(f -> f.ruleId() + " " + f.subject() + ": " + f.message()).toList();
    }
}
