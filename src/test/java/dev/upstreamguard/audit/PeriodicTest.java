package dev.upstreamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.support.Await;

/** The audit's schedule survives whatever a run throws: a plain executor would cancel it for good on the first one. */
class PeriodicTest {

    @Test
    void keepsRunningAfterAnErrorAndAnException_andHandsEachOver() {
        var runs = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (var periodic = new Periodic("periodic-test", Duration.ZERO, Duration.ofMillis(10), () -> {
            int run = runs.incrementAndGet();
            if (run == 1) {
                throw new StackOverflowError("a rule recursed too deep");
            }
            if (run == 2) {
                throw new IllegalStateException("the view went away");
            }
        }, failures::add)) {
            Await.until("runs after the Error and the exception", Duration.ofSeconds(10), () -> runs.get() >= 4);
        }
        assertThat(failures).hasSize(2);
        assertThat(failures.get(0)).isInstanceOf(StackOverflowError.class);
        assertThat(failures.get(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stopsWhenClosed() throws Exception {
        var runs = new AtomicInteger();
        var periodic = new Periodic("periodic-test", Duration.ZERO, Duration.ofMillis(5), runs::incrementAndGet,
                e -> { });
        Await.until("a first run", Duration.ofSeconds(10), () -> runs.get() >= 1);
        periodic.close();
        Thread.sleep(50); // let a run already started finish
        int after = runs.get();
        Thread.sleep(200);
        assertThat(runs.get()).isEqualTo(after);
    }
}
