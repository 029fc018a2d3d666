package dev.upstreamguard.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.upstreamguard.cli.ApplyOrder;
import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.support.ApplySimulator;
import dev.upstreamguard.support.Corpus;
import dev.upstreamguard.support.LaggingCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

/**
 * Real public apps (../shared/corpus) applied through the guard the way users apply them: kubectl apply -f dir/
 * (alphabetical), Helm and Argo CD (kind order), Flux (dry-run of the whole batch against the old state, then apply),
 * a no-op re-sync, and teardown. A false denial on any of them is a bug. CI passes -Dcorpus.dir.
 */
class CorpusApplyOrderTest {

    @TestFactory
    Stream<DynamicTest> noFalseDenialInAnyApplyOrder() throws IOException {
        var root = Corpus.dir();
        var tests = new ArrayList<DynamicTest>();
        try (var apps = Files.list(root)) {
            for (var app : apps.filter(Files::isDirectory).sorted().toList()) {
                var name = app.getFileName().toString();
                tests.add(DynamicTest.dynamicTest(name + ": kubectl apply -f (alphabetical), re-apply, delete",
                        () -> run(name, load(app), Order.KUBECTL)));
                tests.add(DynamicTest.dynamicTest(name + ": helm / argo cd (kind order), upgrade, uninstall",
                        () -> run(name, load(app), Order.HELM)));
                tests.add(DynamicTest.dynamicTest(name + ": flux (dry-run batch, then apply), re-sync, prune",
                        () -> run(name, load(app), Order.FLUX)));
                for (var order : Order.values()) {
                    tests.add(DynamicTest.dynamicTest(name + ": " + order.name().toLowerCase(java.util.Locale.ROOT)
                            + " with the cache lagging every write of a step", () -> run(name, load(app), order, true)));
                }
            }
        }
        assertThat(tests).as("corpus apps").hasSizeGreaterThanOrEqualTo(6 * 5);
        return tests.stream();
    }

    enum Order { KUBECTL, HELM, FLUX }

    /** Each app in a namespace of its own, as SOURCES.md asks. */
    static List<HasMetadata> load(Path app) {
        var ns = app.getFileName().toString();
        var objects = new ManifestLoader().read(app);
        for (var o : objects) {
            if ("default".equals(o.getMetadata().getNamespace())) {
                o.getMetadata().setNamespace(ns);
            }
            o.getMetadata().setUid(null);
        }
        return objects;
    }

    static void run(String app, List<HasMetadata> objects, Order order) {
        run(app, objects, order, false);
    }

    /** @param lagging the guard's cache sees each step's writes only after the step: denials must hold on a fresh read */
    static void run(String app, List<HasMetadata> objects, Order order, boolean lagging) {
        var namespace = new NamespaceBuilder().withNewMetadata().withName(app).endMetadata().build();
        ApplySimulator sim;
        if (lagging) {
            var cluster = new LaggingCluster();
            cluster.seed(namespace);
            sim = new ApplySimulator(cluster, PolicySettings.defaults());
        } else {
            var cluster = new ClusterIndex();
            cluster.put(namespace);
            sim = new ApplySimulator(cluster, PolicySettings.defaults());
        }
        var kindOrder = ApplyOrder.inKindOrder(objects, o -> o);
        switch (order) {
            case KUBECTL -> {
                sim.apply("apply", objects, false);
                sim.apply("re-apply", objects, false);
                sim.delete("delete", objects);
            }
            case HELM -> {
                sim.apply("install", kindOrder, false);
                sim.apply("upgrade", kindOrder, false);
                var reverse = new ArrayList<>(kindOrder);
                java.util.Collections.reverse(reverse);
                sim.delete("uninstall", reverse);
            }
            case FLUX -> {
                sim.apply("dry-run", kindOrder, true);
                sim.apply("apply", kindOrder, false);
                sim.apply("dry-run again", kindOrder, true);
                sim.apply("re-sync", kindOrder, false);
                sim.delete("prune", kindOrder);
            }
        }
        var denials = sim.denials().stream().map(a -> a.step() + " " + a.operation() + " " + a.ref() + ": "
                + a.response().getStatus().getMessage()).toList();
        assertThat(denials).as(app + " " + order + " must apply without a denial").isEmpty();
        assertThat(sim.answers()).as("reviews sent").isNotEmpty();
        // a re-apply changes nothing the rules read: it must be silent
        sim.answers().stream().filter(a -> a.step().equals("re-apply") || a.step().equals("upgrade")
                        || a.step().equals("re-sync"))
                .forEach(a -> assertThat(a.response().getWarnings()).as("no-op " + a.ref()).isNullOrEmpty());
        System.out.printf("corpus %-26s %-8s%s %3d reviews, warnings by rule: %s%n", app, order,
                lagging ? " lagging" : "", sim.answers().size(), sim.warningsByRule());
    }
}
