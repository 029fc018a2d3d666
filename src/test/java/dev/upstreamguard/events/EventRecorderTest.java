package dev.upstreamguard.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.metrics.GuardMetrics;
import dev.upstreamguard.policy.Mode;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.support.Await;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Events leave the request path through a bounded queue, once per object and rule per window, never for dry runs. */
class EventRecorderTest {
    final List<GuardEvent> written = new CopyOnWriteArrayList<>();
    final AtomicInteger dropped = new AtomicInteger();
    final AtomicLong now = new AtomicLong(1_000_000);
    final GuardMetrics metrics = new GuardMetrics() {
        @Override
        public void eventDropped(String why) {
            dropped.incrementAndGet();
        }
    };

    EventRecorder recorder(EventSink sink, int capacity) {
        return new EventRecorder(sink, metrics, ref -> "uid-of-" + ref.name(), capacity, Duration.ofMinutes(10), now::get);
    }

    /** Sends the demo's selector typo through the real handler in warn mode, with the recorder observing. */
    void warnModeTypo(EventRecorder recorder, boolean dryRun) {
        var cluster = new ManifestLoader().load(Path.of("examples/demo-cluster"));
        Service api = new KubernetesSerialization().clone(cluster.service("shop", "api").orElseThrow());
        Service typo = new KubernetesSerialization().clone(api);
        typo.getSpec().setSelector(Map.of("app", "apii"));
        var handler = Reviews.handler(cluster, PolicySettings.defaults().withMode(Mode.WARN)).observedBy(recorder);
        var review = Reviews.update(typo, api);
        if (dryRun) {
            review.dryRun();
        }
        review.answerWith(handler);
    }

    @Test
    void writesOneWouldDenyEventPerObjectAndRulePerWindow() {
        try (var recorder = recorder(written::add, 10)) {
            warnModeTypo(recorder, false);
            warnModeTypo(recorder, false);
            Await.until("the event is written", Duration.ofSeconds(5), () -> written.size() >= 1 && recorder.pending() == 0);
            assertThat(written).hasSize(1);
            var e = written.get(0);
            assertThat(e.reason()).isEqualTo("UpstreamGuardWouldDeny");
            assertThat(e.object()).isEqualTo(new ObjectRef("Service", "shop", "api"));
            assertThat(e.message()).startsWith("[service-selects-nothing] would deny: Ingress shop/web").contains("Fix: ");
            assertThat(e.apiVersion()).isEqualTo("v1");

            now.addAndGet(Duration.ofMinutes(11).toMillis());
            warnModeTypo(recorder, false);
            Await.until("the next window's event", Duration.ofSeconds(5), () -> written.size() == 2);
        }
    }

    @Test
    void writesNothingForADryRun() throws Exception {
        try (var recorder = recorder(written::add, 10)) {
            warnModeTypo(recorder, true);
            Thread.sleep(200);
            assertThat(written).isEmpty();
            assertThat(recorder.pending()).isZero();
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        var release = new CountDownLatch(1);
        EventSink stuck = e -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            written.add(e);
        };
        try (var recorder = recorder(stuck, 2)) {
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                recorder.offer(new GuardEvent(new ObjectRef("Service", "shop", "s" + i), "v1", "u", "UpstreamGuardWarning",
                        "r", "[r] m"));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("offering never blocks on a stuck API server").isLessThan(1_000);
            assertThat(dropped.get()).isEqualTo(48);
            release.countDown();
            Await.until("the two queued events are written", Duration.ofSeconds(5), () -> written.size() == 2);
        }
    }

    @Test
    void waitsForTheUidOfACreatedObject() {
        var lookups = new AtomicInteger();
        try (var recorder = new EventRecorder(written::add, metrics,
                ref -> lookups.incrementAndGet() < 3 ? null : "uid-now-known", 10, Duration.ofMinutes(10), now::get)) {
            recorder.offer(new GuardEvent(new ObjectRef("Ingress", "shop", "new"), "networking.k8s.io/v1", null,
                    "UpstreamGuardWarning", "ingress-service-missing", "[ingress-service-missing] not found yet: ..."));
            Await.until("the event is written with the uid", Duration.ofSeconds(5), () -> written.size() == 1);
            assertThat(written.get(0).uid()).isEqualTo("uid-now-known");
        }
    }
}
