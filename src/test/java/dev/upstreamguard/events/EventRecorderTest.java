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
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.metrics.GuardMetrics;
import dev.upstreamguard.policy.Mode;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.support.Await;
import dev.upstreamguard.support.LogCapture;
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

    static GuardEvent warning(String name) {
        return new GuardEvent(new ObjectRef("Service", "shop", name), "v1", "u-" + name, "UpstreamGuardWarning", "r",
                "[r] m");
    }

    /** A uid look-up that throws must not keep the Event's queue slot: with one slot, the next Event still goes out. */
    @Test
    void aFailingUidLookupGivesItsQueueSlotBack() {
        var lookups = new AtomicInteger();
        try (var recorder = new EventRecorder(written::add, metrics, ref -> {
            lookups.incrementAndGet();
            throw new IllegalStateException("the view is being replaced");
        }, 1, Duration.ofMinutes(10), now::get, 1)) {
            assertThat(recorder.offer(new GuardEvent(new ObjectRef("Ingress", "shop", "new"), "networking.k8s.io/v1",
                    null, "UpstreamGuardWarning", "ingress-service-missing", "[ingress-service-missing] m"))).isTrue();
            Await.until("the Event goes out without a uid after the look-ups", Duration.ofSeconds(5),
                    () -> written.size() == 1 && recorder.pending() == 0);
            assertThat(written.get(0).uid()).isNull();
            assertThat(lookups.get()).isEqualTo(EventRecorder.UID_ATTEMPTS + 1);
            assertThat(recorder.offer(warning("next"))).as("the slot is free again").isTrue();
            Await.until("the next Event is written", Duration.ofSeconds(5), () -> written.size() == 2);
            assertThat(dropped.get()).isZero();
        }
    }

    @Test
    void aLookupThatFailsOnceIsTriedAgain() {
        var lookups = new AtomicInteger();
        try (var recorder = new EventRecorder(written::add, metrics, ref -> {
            if (lookups.incrementAndGet() == 1) {
                throw new IllegalStateException("transient");
            }
            return "uid-found";
        }, 1, Duration.ofMinutes(10), now::get, 1)) {
            recorder.offer(new GuardEvent(new ObjectRef("Ingress", "shop", "new"), "networking.k8s.io/v1", null,
                    "UpstreamGuardWarning", "ingress-service-missing", "[ingress-service-missing] m"));
            Await.until("the Event is written with the uid", Duration.ofSeconds(5), () -> written.size() == 1);
            assertThat(written.get(0).uid()).isEqualTo("uid-found");
            Await.until("its slot is given back", Duration.ofSeconds(5), () -> recorder.pending() == 0);
        }
    }

    /** De-duplication forgets keys as their window ends, however few there are: no 10x-capacity threshold to wait for. */
    @Test
    void forgetsKeysWhoseWindowIsOver_andKeepsTheOthers() {
        try (var recorder = recorder(written::add, 1_000)) {
            for (int i = 0; i < 50; i++) {
                assertThat(recorder.offer(warning("old-" + i))).isTrue();
            }
            now.addAndGet(Duration.ofMinutes(5).toMillis());
            for (int i = 0; i < 30; i++) {
                assertThat(recorder.offer(warning("young-" + i))).isTrue();
            }
            assertThat(recorder.remembered()).isEqualTo(80);
            assertThat(recorder.offer(warning("old-7"))).as("still within its window").isFalse();

            now.addAndGet(Duration.ofMinutes(5).toMillis()); // the old ones' window is over, the young ones' is not
            assertThat(recorder.offer(warning("late"))).isTrue();
            assertThat(recorder.remembered()).as("the 50 old keys forgotten").isEqualTo(31);
            assertThat(recorder.offer(warning("young-3"))).as("a young key is still de-duplicated").isFalse();
            assertThat(recorder.offer(warning("old-7"))).as("an old key may be written again").isTrue();
        }
    }

    /** A key written again after its window starts a new one: it must not be forgotten by its first write's time. */
    @Test
    void aKeyWrittenAgainIsRememberedFromItsNewWrite() {
        try (var recorder = recorder(written::add, 1_000)) {
            assertThat(recorder.offer(warning("a"))).isTrue();
            now.addAndGet(Duration.ofMinutes(6).toMillis());
            assertThat(recorder.offer(warning("b"))).isTrue();
            now.addAndGet(Duration.ofMinutes(5).toMillis()); // a's window is over (11 min), b's is not (5 min)
            assertThat(recorder.offer(warning("a"))).as("a new window for a").isTrue();
            now.addAndGet(Duration.ofMinutes(6).toMillis()); // b's window is over, a's second one is not
            assertThat(recorder.offer(warning("c"))).isTrue();
            assertThat(recorder.remembered()).as("a (second write) and c; b forgotten").isEqualTo(2);
            assertThat(recorder.offer(warning("a"))).as("a is still in its second window").isFalse();
            assertThat(recorder.offer(warning("b"))).isTrue();
        }
    }

    @Test
    void aRefusedEventIsCountedAndLoggedAtWarnOncePerMinute() {
        try (var log = LogCapture.of(EventRecorder.class.getName(), Level.INFO);
             var recorder = recorder(e -> {
                 throw new IllegalStateException("403 events is forbidden");
             }, 10)) {
            for (int i = 0; i < 3; i++) {
                recorder.offer(warning("refused-" + i));
            }
            Await.until("all three tried", Duration.ofSeconds(5), () -> dropped.get() == 3 && recorder.pending() == 0);
            assertThat(log.lines()).filteredOn(l -> l.level().intValue() == Level.WARNING.intValue())
                    .extracting(LogCapture.Line::message).singleElement().satisfies(m -> assertThat(m)
                            .startsWith("Fault event-write-failed: an Event on Service shop/refused-0 was not written")
                            .contains("403 events is forbidden"));
        }
    }
}
