package dev.upstreamguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Informer threads write while reviews read. One review's before and after views must see one cluster state, every
 * write must land in every index it touches (none lost between threads), and nothing may be left behind in the
 * indexes once the objects are gone.
 */
class ConcurrentIndexTest {
    static final KubernetesSerialization K8S = new KubernetesSerialization();

    ClusterIndex shop() {
        return new ManifestLoader().load(Path.of("src/test/resources/lag/blue-green.yaml"));
    }

    @Test
    void aReviewNeverSeesTwoClusterStates_whileItsPodSourceFlipsUnderIt() throws Exception {
        var index = shop();
        var handler = Reviews.handler(index, PolicySettings.defaults());
        var api = (Deployment) index.workload("Deployment", "shop", "api").orElseThrow();
        var elsewhere = K8S.clone(api);
        elsewhere.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "api", "version", "elsewhere"));
        var oldService = (Service) index.service("shop", "api").orElseThrow();
        var withPort = K8S.clone(oldService);
        withPort.getSpec().getPorts().add(new ServicePortBuilder().withName("admin").withPort(9090)
                .withTargetPort(new IntOrString("http")).build());

        var stop = new AtomicBoolean();
        var flips = new AtomicInteger();
        var pool = Executors.newFixedThreadPool(3);
        // an informer thread: the only pod source of Service api comes and goes
        pool.submit(() -> {
            while (!stop.get()) {
                index.put(elsewhere);
                index.put(api);
                flips.incrementAndGet();
            }
        });
        var denials = new ConcurrentLinkedQueue<String>();
        var reviews = new AtomicInteger();
        var done = new CountDownLatch(2);
        for (int t = 0; t < 2; t++) {
            pool.submit(() -> {
                try {
                    for (int i = 0; i < 400; i++) {
                        // a port added: whatever state the cluster is in, before and after agree on the pods, so it
                        // is never a new "selects nothing" (at worst an old one)
                        var r = Reviews.update(withPort, oldService).answerWith(handler);
                        reviews.incrementAndGet();
                        if (!r.getAllowed()) {
                            denials.add(r.getStatus().getMessage());
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(reviews.get()).isEqualTo(800);
        assertThat(flips.get()).as("the writer really ran during the reviews").isGreaterThan(10);
        assertThat(denials).as("a review that saw two states would deny a good change").isEmpty();
    }

    @Test
    void concurrentWritesLoseNoIndexEntry_andLeaveNothingBehind() throws Exception {
        var index = shop();
        int baseline = index.indexEntries();
        var pool = Executors.newFixedThreadPool(4);
        var pods = new ArrayList<List<HasMetadata>>();
        for (int t = 0; t < 4; t++) {
            var mine = new ArrayList<HasMetadata>();
            for (int i = 0; i < 300; i++) {
                // the threads share label pairs, so they add to and empty the same index sets at once
                mine.add(new PodBuilder().withNewMetadata().withName("p-" + t + "-" + i).withNamespace("shop")
                        .withUid("u-" + t + "-" + i).withLabels(Map.of("app", "churn", "shard", "s" + (i % 3)))
                        .endMetadata().withNewStatus().withPhase("Running").endStatus().build());
            }
            pods.add(mine);
        }
        var tasks = new ArrayList<java.util.concurrent.Future<?>>();
        for (var mine : pods) {
            tasks.add(pool.submit(() -> {
                for (int round = 0; round < 20; round++) {
                    mine.forEach(index::put);
                    mine.forEach(index::remove);
                }
                mine.forEach(index::put);
            }));
        }
        for (var task : tasks) {
            task.get(120, TimeUnit.SECONDS);
        }
        assertThat(index.podSourcesSelectedBy("shop", Map.of("app", "churn"))).as("every pod indexed").hasSize(1200);
        for (int s = 0; s < 3; s++) {
            assertThat(index.podSourcesSelectedBy("shop", Map.of("app", "churn", "shard", "s" + s))).hasSize(400);
        }
        pods.forEach(mine -> mine.forEach(index::remove));
        pool.shutdown();
        assertThat(index.podSourcesSelectedBy("shop", Map.of("app", "churn"))).isEmpty();
        assertThat(index.indexEntries()).as("no empty index entries left behind").isEqualTo(baseline);
        assertThat(index.counts().get("Pod")).isEqualTo(1);
    }

    @Test
    void deletingEverythingLeavesNoIndexEntries() {
        var index = shop();
        var objects = new ManifestLoader().read(Path.of("src/test/resources/lag/blue-green.yaml"));
        objects.forEach(index::remove);
        assertThat(index.indexEntries()).isZero();
    }
}
