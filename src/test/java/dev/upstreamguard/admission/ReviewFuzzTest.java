package dev.upstreamguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.support.LogCapture;
import dev.upstreamguard.support.ResponseContract;
import dev.upstreamguard.support.ReviewMutator;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;

/**
 * Fuzzes the real handler, in process, for a fixed time ({@code -Dfuzz.seconds}, default 20) from a printed seed
 * ({@code -Dfuzz.seed} replays one): every mutated review gets a 400 with a one-line reason or a valid AdmissionReview
 * with the same uid; never a 5xx, never an exception escaping, never a hang; and nothing of a body reaches the logs at
 * INFO. A failing input is written to target/fuzz-failures/.
 */
class ReviewFuzzTest {
    static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    static final Duration BUDGET = Duration.ofSeconds(Long.getLong("fuzz.seconds", 20));
    static final Duration PER_CALL = Duration.ofSeconds(5);
    static ExecutorService worker;

    @BeforeAll
    static void startWorker() {
        worker = Executors.newSingleThreadExecutor(r -> {
            var t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopWorker() {
        worker.shutdownNow();
    }

    @Test
    void everyMutatedReviewGetsA400OrAnAnswerWithItsUid_fastAndQuietly() throws Exception {
        System.out.printf("ReviewFuzzTest: seed=%d budget=%ss (replay with -Dfuzz.seed=%d)%n", SEED, BUDGET.toSeconds(), SEED);
        var cluster = new ManifestLoader().load(Path.of("examples/demo-cluster"));
        var gate = new ReviewGate(Reviews.handler(cluster, PolicySettings.defaults()), 8, Duration.ofMillis(250));
        var mutator = new ReviewMutator(SEED);
        int ok = 0;
        int bad = 0;
        long slowest = 0;
        long end = System.nanoTime() + BUDGET.toNanos();
        try (var logs = LogCapture.of("dev.upstreamguard", Level.INFO)) {
            while (System.nanoTime() < end) {
                var body = mutator.next();
                long start = System.nanoTime();
                var future = worker.submit(() -> gate.handle(body, "10s"));
                ReviewGate.Reply reply;
                try {
                    reply = future.get(PER_CALL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    future.cancel(true);
                    throw failure(body, "no answer within " + PER_CALL);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw failure(body, "exception escaped: " + e.getCause());
                }
                slowest = Math.max(slowest, System.nanoTime() - start);
                try {
                    if (reply.status() == 400) {
                        bad++;
                        var error = String.valueOf(((Map<?, ?>) reply.entity()).get("error"));
                        assertThat(error).isNotBlank().doesNotContain("\n");
                    } else {
                        ok++;
                        assertThat(reply.status()).isEqualTo(200);
                        var review = (AdmissionReview) reply.entity();
                        assertThat(review.getApiVersion()).isEqualTo("admission.k8s.io/v1");
                        ResponseContract.check(review.getResponse(), ReviewMutator.uidOf(body), "fuzz seed " + SEED);
                    }
                } catch (AssertionError e) {
                    throw failure(body, e.getMessage());
                }
            }
            var leaks = logs.infoAndAbove().stream().filter(l -> l.message() != null
                    && l.message().contains(ReviewMutator.MARKER)).toList();
            assertThat(leaks).as("log lines at INFO+ carrying a body fragment").isEmpty();
        }
        System.out.printf("ReviewFuzzTest: %d inputs from %d reviews: %d answered, %d rejected (400); slowest %d ms%n",
                ok + bad, mutator.corpusSize(), ok, bad, TimeUnit.NANOSECONDS.toMillis(slowest));
        assertThat(ok).as("some mutations stay valid reviews").isPositive();
        assertThat(bad).as("some mutations are rejected").isPositive();
    }

    private static AssertionError failure(byte[] body, String why) {
        try {
            var dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
            var file = dir.resolve("seed-" + SEED + "-" + System.nanoTime() + ".json");
            Files.write(file, body);
            return new AssertionError("fuzz seed " + SEED + ": " + why + " (input in " + file + ")");
        } catch (java.io.IOException e) {
            return new AssertionError("fuzz seed " + SEED + ": " + why);
        }
    }
}
