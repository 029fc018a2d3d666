package dev.upstreamguard.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.upstreamguard.admission.HandledKinds;
import dev.upstreamguard.admission.ReviewHandler;
import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.policy.PolicySettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Applies a set of objects to a simulated cluster the way a deploy tool does, sending each write through the real
 * review handler first, and records every answer. Objects are only stored when allowed, as the API server would.
 */
public final class ApplySimulator {
    /** Helm's install order (and, for the kinds that matter here, Argo CD's and kustomize's). */
    public static final List<String> KIND_ORDER = List.of("Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
            "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "ConfigMap", "StorageClass",
            "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
            "ClusterRoleBinding", "Role", "RoleBinding", "Service", "DaemonSet", "Pod", "ReplicationController",
            "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass",
            "Ingress", "APIService");
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** One answered write. */
    public record Answer(String step, String operation, ObjectRef ref, AdmissionResponse response) {
        public boolean denied() {
            return !Boolean.TRUE.equals(response.getAllowed());
        }
    }

    private final ClusterIndex cluster;
    private final LaggingCluster lagging;
    private final ReviewHandler handler;
    private final List<Answer> answers = new ArrayList<>();
    /** The objects as the API server holds them, whole (the guard's view keeps reduced records). */
    private final java.util.Map<ObjectRef, HasMetadata> apiServer = new java.util.HashMap<>();

    public ApplySimulator(ClusterIndex cluster, PolicySettings settings) {
        this.cluster = cluster;
        this.lagging = null;
        this.handler = Reviews.handler(cluster, settings);
    }

    /**
     * Applies through a cluster whose cache hears of each write only once the whole step is done (the watch lags the
     * tool): the guard judges on the lagging cache and confirms its denials on fresh reads, as in a real cluster.
     */
    public ApplySimulator(LaggingCluster lagging, PolicySettings settings) {
        this.cluster = lagging.cache();
        this.lagging = lagging;
        this.handler = Reviews.handler(cluster, settings).confirmingWith(lagging, java.time.Duration.ofSeconds(2));
    }

    private void store(HasMetadata object) {
        apiServer.put(ObjectRef.of(object), object);
        if (lagging != null) {
            lagging.put(object);
        } else {
            cluster.put(object);
        }
    }

    private void unstore(HasMetadata object) {
        apiServer.remove(ObjectRef.of(object));
        if (lagging != null) {
            lagging.remove(object);
        } else {
            cluster.remove(object);
        }
    }

    private void endOfStep() {
        if (lagging != null) {
            lagging.catchUp();
        }
    }

    public static List<HasMetadata> inKindOrder(List<HasMetadata> objects) {
        var sorted = new ArrayList<>(objects);
        sorted.sort(Comparator.comparingInt(o -> {
            int i = KIND_ORDER.indexOf(o.getKind());
            return i < 0 ? KIND_ORDER.size() : i;
        }));
        return sorted;
    }

    /** Creates or updates each object in order (a {@code kubectl apply}). */
    public void apply(String step, List<HasMetadata> objects, boolean dryRun) {
        for (var o : objects) {
            var object = SERIALIZATION.clone(o);
            var ref = ObjectRef.of(object);
            var existing = existing(ref);
            if (handled(object)) {
                var review = existing == null ? Reviews.create(object) : Reviews.update(object, existing);
                if (dryRun) {
                    review.dryRun();
                }
                var response = review.answerWith(handler);
                answers.add(new Answer(step, existing == null ? "CREATE" : "UPDATE", ref, response));
                if (!Boolean.TRUE.equals(response.getAllowed())) {
                    continue;
                }
            }
            if (!dryRun) {
                store(object);
            }
        }
        endOfStep();
    }

    /** Deletes each object in order. */
    public void delete(String step, List<HasMetadata> objects) {
        for (var o : objects) {
            var ref = ObjectRef.of(o);
            var existing = existing(ref);
            if (existing == null) {
                continue;
            }
            if (handled(existing)) {
                var response = Reviews.delete(existing).answerWith(handler);
                answers.add(new Answer(step, "DELETE", ref, response));
                if (!Boolean.TRUE.equals(response.getAllowed())) {
                    continue;
                }
            }
            unstore(existing);
        }
        endOfStep();
    }

    private HasMetadata existing(ObjectRef ref) {
        // the API server knows the whole object it is about to replace
        return lagging != null ? lagging.live(ref).orElse(null) : apiServer.get(ref);
    }

    private static boolean handled(HasMetadata o) {
        return HandledKinds.KINDS.values().stream().anyMatch(c -> c.isInstance(o));
    }

    public List<Answer> answers() {
        return answers;
    }

    public List<Answer> denials() {
        return answers.stream().filter(Answer::denied).toList();
    }

    public Map<String, Long> warningsByRule() {
        var out = new java.util.TreeMap<String, Long>();
        for (var a : answers) {
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
