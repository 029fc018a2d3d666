package dev.upstreamguard.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.upstreamguard.admission.ReviewHandler;
import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.rules.Evaluator;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;

/**
 * The in-process decision: bytes in, bytes out, through the real {@link ReviewHandler} over a {@link ClusterIndex}
 * holding a {@link SyntheticCluster} of 1k, 10k or 100k pods, in the ordinary shape ({@code spread}: the reviewed
 * namespace holds 10 Services) or with the reviewed namespace holding 5,000 Services ({@code wide}; {@code wide-shared}:
 * every selector also holds a pair all pods carry). {@code full} = parse + decide + render to JSON bytes;
 * {@code decideOnly} = answer an already parsed review (exemptions, overlay, scope, rules before and after, decision,
 * AdmissionResponse), no JSON; {@code parseOnly} = bytes to a checked AdmissionReview.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecisionBench {
    /** Clusters built once per JVM (with -f 0 every benchmark of a size shares one). */
    private static final Map<String, ClusterIndex> CLUSTERS = new ConcurrentHashMap<>();

    @Param({"1000", "10000", "100000"})
    public int pods;

    @Param({"spread"})
    public String shape;

    @Param({"ingress-create", "service-update", "deployment-update", "httproute-update"})
    public String review;

    private ReviewHandler handler;
    private byte[] body;
    private AdmissionReview parsed;

    @Setup(Level.Trial)
    public void setUp() {
        var index = CLUSTERS.computeIfAbsent(shape + "/" + pods, k -> build(SyntheticCluster.of(shape, pods)));
        handler = new ReviewHandler(ReviewBodies.MAPPER, () -> index, new Evaluator(),
                new Decider(PolicySettings.defaults()));
        body = ReviewBodies.body(review, shape.equals("wide-shared"));
        parsed = handler.parse(body);
        var answer = handler.answer(parsed).getResponse();
        if (!Boolean.TRUE.equals(answer.getAllowed()) || (answer.getWarnings() != null && !answer.getWarnings().isEmpty())) {
            throw new IllegalStateException(review + " on " + pods + " pods (" + shape + ") is not a clean allow: " + answer);
        }
        if (Boolean.getBoolean("bench.await-quiet-jit")) {
            awaitQuietJit();
        }
    }

    /**
     * Waits until the JIT has compiled nothing for a second (at most a minute). Building a 100k-pod cluster leaves the
     * two cores' compiler queue full of the builder's methods for many seconds; warm-up iterations that start meanwhile
     * measure code the compiler has not reached yet, which showed up as "slower at 100k" even for parsing, which never
     * touches the cluster. A 1k cluster is built before the compiler gets going, so without this the sizes differ in
     * JIT state, not only in size.
     */
    static void awaitQuietJit() {
        var jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < 4 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
    }

    public static ClusterIndex build(SyntheticCluster cluster) {
        var index = new ClusterIndex();
        cluster.forEach(false, index::put);
        return index;
    }

    @Benchmark
    public byte[] full() throws JsonProcessingException {
        return ReviewBodies.MAPPER.writeValueAsBytes(handler.answer(handler.parse(body)));
    }

    /** Parsing alone: body bytes to a checked AdmissionReview of fabric8 objects (not in the report; for profiling). */
    @Benchmark
    public AdmissionReview parseOnly() {
        return handler.parse(body);
    }

    @Benchmark
    public AdmissionReview decideOnly() {
        return handler.answer(parsed);
    }
}
