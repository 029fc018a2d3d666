package dev.upstreamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.upstreamguard.support.CheckRun;
import dev.upstreamguard.support.Corpus;

/**
 * Every real app of the corpus passes {@code check} (exit 0) in every apply order, alone and against the demo cluster
 * as a snapshot: a false alarm on any of them is a bug. Each app gets a namespace of its own ({@code --namespace}),
 * except cafe-cross-namespace, whose ReferenceGrant permits routes from {@code default}, where its README applies
 * them. Run in this JVM: 120 child JVMs would take minutes.
 */
class CheckCorpusTest {

    static Path corpus() {
        return Corpus.dir();
    }

    static String namespaceOf(String app) {
        return app.equals("cafe-cross-namespace") ? "default" : app;
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusAppPassesInEveryOrderAloneAndOnTheDemoCluster() throws IOException {
        var tests = new ArrayList<DynamicTest>();
        try (var apps = Files.list(corpus())) {
            for (var app : apps.filter(Files::isDirectory).sorted().toList()) {
                var name = app.getFileName().toString();
                for (var order : ApplyOrder.values()) {
                    for (var cluster : new String[] {"none", "examples/demo-cluster"}) {
                        tests.add(DynamicTest.dynamicTest(name + " --order " + order.label() + " --cluster " + cluster,
                                () -> {
                                    var run = CheckRun.inProcess("-f", app.toString(), "--order", order.label(),
                                            "--cluster", cluster, "--namespace", namespaceOf(name));
                                    assertThat(run.exit()).as(run.toString()).isZero();
                                    assertThat(run.out()).as(run.toString()).contains(": 0 denied, ")
                                            .contains(" 0 invalid, 0 broken at the end: ok");
                                    assertThat(run.err()).isEmpty();
                                }));
                    }
                }
            }
        }
        assertThat(tests).as("corpus runs").hasSizeGreaterThanOrEqualTo(15 * 4 * 2);
        return tests.stream();
    }
}
