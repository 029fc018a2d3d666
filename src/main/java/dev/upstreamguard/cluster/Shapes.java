package dev.upstreamguard.cluster;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One instance of each equal value that many cached pods repeat: the pods of one template have equal labels,
 * container ports and readiness probes, and every pod arrives freshly parsed. Used by the index for what it keeps,
 * not for the pod sources a review builds and drops. Without this each cached pod pays for its own copies of
 * the label map and the port and probe lists (about 300 bytes a pod). Weak: a value goes when the last record holding
 * it goes, so templates that are rolled away leave nothing behind. Safe from any thread.
 */
final class Shapes {
    private static final Map<Object, WeakReference<Object>> CANONICAL = new WeakHashMap<>();

    private Shapes() {
    }

    /** The same pod source, its label map, ports and readiness probes the instances already held where equal. */
    static PodSource of(PodSource s) {
        return new PodSource(s.ref(), s.uid(), shared(s.labels()), shared(s.ports()), s.controllerUid(), s.ready(),
                s.restarts(), s.waiting(), s.lastTermination(), shared(s.readiness()));
    }

    /** The instance already held that equals {@code value}, else {@code value}, which becomes it. */
    @SuppressWarnings("unchecked")
    static <T> T shared(T value) {
        if (value == null) {
            return null;
        }
        synchronized (CANONICAL) {
            var held = CANONICAL.get(value);
            var canonical = held == null ? null : held.get();
            if (canonical != null) {
                return (T) canonical;
            }
            CANONICAL.put(value, new WeakReference<>(value));
            return value;
        }
    }
}
