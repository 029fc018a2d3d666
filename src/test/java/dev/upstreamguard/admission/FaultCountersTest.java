package dev.upstreamguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.support.LogCapture;

/** Every fault is counted, and the first of each kind per minute is logged at WARN with what was held back since. */
class FaultCountersTest {
    final AtomicLong now = new AtomicLong(123_456_789L);
    final FaultCounters faults = new FaultCounters(now::get);

    static java.util.List<String> warnings(LogCapture log) {
        return log.lines().stream().filter(l -> l.level().intValue() == Level.WARNING.intValue())
                .map(LogCapture.Line::message).toList();
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void firstOfAKindPerMinuteIsLoggedAtWarn_theNextLineSaysHowManyWereHeldBack() {
        try (var log = LogCapture.of(FaultCounters.class.getName(), Level.INFO)) {
            for (int i = 0; i < 5; i++) {
                faults.countOverload();
                advance(Duration.ofSeconds(10));
            }
            assertThat(faults.overloaded()).isEqualTo(5);
            assertThat(warnings(log)).singleElement().satisfies(m -> assertThat(m).startsWith("Fault overloaded: ")
                    .contains("upstream-guard.admission.max-in-flight").doesNotContain("more of this kind"));

            advance(Duration.ofSeconds(11)); // 61 s after the first line
            faults.countOverload();
            assertThat(warnings(log)).hasSize(2);
            assertThat(warnings(log).get(1)).startsWith("Fault overloaded: ")
                    .endsWith("(4 more of this kind since the last such line, not logged)");
        }
    }

    @Test
    void eachKindHasItsOwnMinute() {
        try (var log = LogCapture.of(FaultCounters.class.getName(), Level.INFO)) {
            faults.countLate();
            faults.countLate();
            faults.countStaleView();
            faults.countInternalError();
            faults.countRuleFailure();
            faults.countBadReview();
            faults.countOverload();
            assertThat(warnings(log)).extracting(m -> m.substring(0, m.indexOf(':'))).containsExactly(
                    "Fault late", "Fault stale-view", "Fault internal-error", "Fault rule-failure", "Fault bad-review",
                    "Fault overloaded");
            assertThat(faults.late()).isEqualTo(2);
            assertThat(faults.staleViews() + faults.internalErrors() + faults.ruleFailures() + faults.badReviews()
                    + faults.overloaded()).isEqualTo(5);
        }
    }

    @Test
    void manyThreadsAtOnceLeaveOneLineAndEveryCount() throws Exception {
        int threads = 8;
        int each = 2_000;
        var start = new CountDownLatch(1);
        var workers = new ArrayList<Thread>();
        try (var log = LogCapture.of(FaultCounters.class.getName(), Level.INFO)) {
            for (int t = 0; t < threads; t++) {
                var w = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    for (int i = 0; i < each; i++) {
                        faults.countLate();
                    }
                });
                w.start();
                workers.add(w);
            }
            start.countDown();
            for (var w : workers) {
                w.join();
            }
            assertThat(faults.late()).isEqualTo((long) threads * each);
            assertThat(warnings(log)).hasSize(1);
            advance(Duration.ofMinutes(1));
            faults.countLate();
            assertThat(warnings(log).get(1)).contains("(" + (threads * each - 1) + " more of this kind");
        }
    }
}
