package dev.upstreamguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.Finding;
import dev.upstreamguard.rules.Rule;
import dev.upstreamguard.rules.RuleCatalog;
import dev.upstreamguard.rules.RuleInfo;
import dev.upstreamguard.rules.Severity;
import dev.upstreamguard.support.LogCapture;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The gate in front of the handler: the API server's deadline is honoured, the reviews in flight are bounded, and a
 * failure inside answers allowed with a warning, counted and logged with the request uid. Never a 5xx, never a wait.
 */
class ReviewGateTest {
    final ClusterIndex cluster = new ManifestLoader().load(Path.of("examples/demo-cluster"));
    final Service api = cluster.service("shop", "api").orElseThrow();

    Service typo() {
        Service s = new KubernetesSerialization().clone(api);
        s.getSpec().setSelector(Map.of("app", "apii"));
        return s;
    }

    ReviewHandler handler(List<Rule<?>> rules) {
        return new ReviewHandler(Reviews.MAPPER, () -> cluster, new Evaluator(rules), new Decider(PolicySettings.defaults()),
                java.util.Optional::empty, new FaultCounters());
    }

    static AdmissionReview review(ReviewGate.Reply reply) {
        assertThat(reply.status()).isEqualTo(200);
        return (AdmissionReview) reply.entity();
    }

    @Test
    void deniesWellWithinTheDeadline() {
        var gate = new ReviewGate(handler(RuleCatalog.all()), 4, Duration.ofMillis(250));
        var r = review(gate.handle(Reviews.update(typo(), api).uid("d-1").json(), "10s")).getResponse();
        assertThat(r.getUid()).isEqualTo("d-1");
        assertThat(r.getAllowed()).isFalse();
    }

    @Test
    void allowsUncheckedWhenTheDeadlineMinusTheMarginHasPassedBeforeEvaluation() {
        var handler = handler(RuleCatalog.all());
        var gate = new ReviewGate(handler, 4, Duration.ofMillis(250));
        // 200ms: less than the margin, so there is no time left at all
        var r = review(gate.handle(Reviews.update(typo(), api).uid("late-1").json(), "200ms")).getResponse();
        assertThat(r.getUid()).isEqualTo("late-1");
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).containsExactly("[upstream-guard] no time left to judge it within the API server's "
                + "timeout (200ms); change allowed unchecked");
        assertThat(handler.counters().late()).isEqualTo(1);
    }

    @Test
    void allowsUncheckedWhenTheEvaluationOverranTheDeadline() {
        var handler = handler(RuleCatalog.all());
        // a clock that moves 1.5 s per reading: arrival 0, before evaluation 1.5 s (in time for 2.5 s - 0.25 s),
        // after it 3 s: the evaluation overran the deadline
        var now = new AtomicLong();
        var gate = new ReviewGate(handler, 4, Duration.ofMillis(250), () -> now.getAndAdd(TimeUnit.MILLISECONDS.toNanos(1500)));
        var r = review(gate.handle(Reviews.update(typo(), api).uid("late-2").json(), "2500ms")).getResponse();
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).singleElement().asString().startsWith("[upstream-guard] judged too late");
    }

    @Test
    void ignoresATimeoutItCannotRead() {
        var gate = new ReviewGate(handler(RuleCatalog.all()), 4, Duration.ofMillis(250));
        for (var t : new String[] {null, "", "soon", "-1s"}) {
            assertThat(review(gate.handle(Reviews.update(typo(), api).json(), t)).getResponse().getAllowed())
                    .as("timeout=%s", t).isFalse();
        }
    }

    /** A rule that waits until released, as a rule stuck on a lock would. */
    static final class BlockingRule implements Rule<Service> {
        static final RuleInfo INFO = new RuleInfo("blocking-rule", Severity.ERROR, "t", "w", "r");
        final CountDownLatch entered;
        final CountDownLatch release = new CountDownLatch(1);

        BlockingRule(int callers) {
            entered = new CountDownLatch(callers);
        }

        @Override
        public RuleInfo info() {
            return INFO;
        }

        @Override
        public Class<Service> subjectType() {
            return Service.class;
        }

        @Override
        public List<Finding> check(Service subject, ClusterView view) {
            entered.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }
    }

    @Test
    void answersAtOnceWhenTooManyReviewsAreInFlight_thenJudgesAgain() throws Exception {
        var blocking = new BlockingRule(2);
        var rules = new ArrayList<Rule<?>>(RuleCatalog.all());
        rules.add(blocking);
        var handler = handler(rules);
        var gate = new ReviewGate(handler, 2, Duration.ofMillis(250));
        var pool = Executors.newFixedThreadPool(2);
        try {
            var stuck = new ArrayList<Future<ReviewGate.Reply>>();
            for (int i = 0; i < 2; i++) {
                stuck.add(pool.submit(() -> gate.handle(Reviews.update(typo(), api).json(), "10s")));
            }
            assertThat(blocking.entered.await(10, TimeUnit.SECONDS)).as("two reviews are being judged").isTrue();

            long start = System.nanoTime();
            var r = review(gate.handle(Reviews.update(typo(), api).uid("third").json(), "10s")).getResponse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(r.getUid()).isEqualTo("third");
            assertThat(r.getAllowed()).isTrue();
            assertThat(r.getWarnings()).containsExactly("[upstream-guard] overloaded; change allowed unchecked");
            assertThat(handler.counters().overloaded()).isEqualTo(1);

            blocking.release.countDown();
            for (var f : stuck) {
                assertThat(review(f.get(10, TimeUnit.SECONDS)).getResponse().getAllowed()).isFalse();
            }
            assertThat(review(gate.handle(Reviews.update(typo(), api).json(), "10s")).getResponse().getAllowed())
                    .as("judged again once the others are done").isFalse();
        } finally {
            blocking.release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aRuleThatThrowsIsCounted_andLoggedWithTheRequestUid() {
        var rules = new ArrayList<Rule<?>>(RuleCatalog.all());
        rules.add(new FailOpenTest.ExplodingRule());
        var handler = handler(rules);
        var gate = new ReviewGate(handler, 4, Duration.ofMillis(250));
        try (var logs = LogCapture.of("dev.upstreamguard", Level.INFO)) {
            var r = review(gate.handle(Reviews.update(typo(), api).uid("uid-of-the-throw").json(), "10s")).getResponse();
            assertThat(r.getAllowed()).as("the working rules still deny").isFalse();
            assertThat(r.getWarnings()).contains(
                    "[upstream-guard] rule exploding-rule failed on Service shop/api; change allowed unchecked by it");
            assertThat(handler.counters().ruleFailures()).isEqualTo(1);
            assertThat(logs.lines()).anySatisfy(l -> {
                assertThat(l.level()).isEqualTo(org.jboss.logmanager.Level.ERROR);
                assertThat(l.message()).contains("exploding-rule", "uid-of-the-throw");
                assertThat(l.thrown()).hasMessage("boom");
            });
        }
    }

    @Test
    void aBadReviewIsA400WithOneLine_andCounted() {
        var handler = handler(RuleCatalog.all());
        var gate = new ReviewGate(handler, 4, Duration.ofMillis(250));
        var reply = gate.handle("{\"apiVersion\":".getBytes(), "10s");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(((Map<?, ?>) reply.entity()).get("error").toString()).startsWith("malformed AdmissionReview JSON")
                .doesNotContain("\n");
        assertThat(handler.counters().badReviews()).isEqualTo(1);
    }
}
