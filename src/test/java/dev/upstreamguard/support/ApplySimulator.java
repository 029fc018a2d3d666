package dev.upstreamguard.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.upstreamguard.cli.BundleObject;
import dev.upstreamguard.cli.ClusterState;
import dev.upstreamguard.cli.SyncReplay;
import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.policy.PolicySettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;

/**
 * Applies a set of objects to a simulated cluster the way a deploy tool does, through {@code check}'s own
 * {@link SyncReplay} and the real review handler, and records every answer. Objects are only stored when allowed, as
 * the API server would. Start from a cluster that holds no object of a judged kind yet (namespaces are fine): the
 * simulator knows only what went through it.
 */
public final class ApplySimulator {

    /** One answered write. */
    public record Answer(String step, String operation, ObjectRef ref, AdmissionResponse response) {
        public boolean denied() {
            return !Boolean.TRUE.equals(response.getAllowed());
        }
    }

    private final SyncReplay replay;
    private final LaggingCluster lagging;

    public ApplySimulator(ClusterIndex cluster, PolicySettings settings) {
        this.replay = new SyncReplay(new ClusterState(cluster), SyncReplay.judgeWith(Reviews.handler(cluster, settings)),
                Reviews.MAPPER);
        this.lagging = null;
    }

    /**
     * Applies through a cluster whose cache hears of each write only once the whole step is done (the watch lags the
     * tool): the guard judges on the lagging cache and confirms its denials on fresh reads, as in a real cluster.
     */
    public ApplySimulator(LaggingCluster lagging, PolicySettings settings) {
        var handler = Reviews.handler(lagging.cache(), settings).confirmingWith(lagging, Duration.ofSeconds(2));
        this.replay = new SyncReplay(lagging, SyncReplay.judgeWith(handler), Reviews.MAPPER);
        this.lagging = lagging;
    }

    /** Creates or updates each object in order (a {@code kubectl apply}). */
    public void apply(String step, List<HasMetadata> objects, boolean dryRun) {
        replay.apply(step, objects.stream().map(BundleObject::of).toList(), dryRun);
        endOfStep();
    }

    /** Deletes each object in order. */
    public void delete(String step, List<HasMetadata> objects) {
        replay.delete(step, objects.stream().map(BundleObject::of).toList());
        endOfStep();
    }

    private void endOfStep() {
        if (lagging != null) {
            lagging.catchUp();
        }
    }

    /** Helm's install order (and, for the kinds that matter here, Argo CD's and kustomize's). */
    public static List<HasMetadata> inKindOrder(List<HasMetadata> objects) {
        return dev.upstreamguard.cli.ApplyOrder.inKindOrder(objects, o -> o);
    }

    public List<Answer> answers() {
        return replay.answers().stream().map(a -> new Answer(a.step(), a.operation(), a.item().ref(), a.response()))
                .toList();
    }

    public List<Answer> denials() {
        return answers().stream().filter(Answer::denied).toList();
    }

    public Map<String, Long> warningsByRule() {
        var out = new java.util.TreeMap<String, Long>();
        for (var a : answers()) {
            if (a.response().getWarnings() != null) {
                for (var w : a.response().getWarnings()) {
                    var rule = w.startsWith("[") ? w.substring(1, w.indexOf(']')) : w;
                    out.merge(rule, 1L, Long::sum);
                }
            }
        }
        return out;
    }
}
