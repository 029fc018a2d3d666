package dev.upstreamguard.policy;

import java.util.List;
import java.util.Optional;

import dev.upstreamguard.cluster.ClusterView;

/**
 * Requests that are answered allowed without evaluating anything: system controllers, teardown, status writes and
 * updates that change nothing the rules read.
 */
public final class Exemptions {
    /**
     * The control plane's own controllers that write the kinds the guard judges, named one by one: blocking them would
     * wedge namespace deletion, garbage collection, autoscaling or a rollout. Never a whole prefix: user tooling also
     * runs under kube-system service accounts. The webhook's {@code matchConditions} list the same users.
     */
    public static final List<String> CONTROLLERS = List.of(
            "system:kube-controller-manager",
            "system:serviceaccount:kube-system:generic-garbage-collector",
            "system:serviceaccount:kube-system:namespace-controller",
            "system:serviceaccount:kube-system:horizontal-pod-autoscaler",
            "system:serviceaccount:kube-system:deployment-controller",
            "system:serviceaccount:kube-system:replicaset-controller",
            "system:serviceaccount:kube-system:statefulset-controller",
            "system:serviceaccount:kube-system:daemon-set-controller",
            "system:serviceaccount:kube-system:service-controller");

    private Exemptions() {
    }

    /** Why this change is exempt, or empty when it must be evaluated. */
    public static Optional<String> reason(Change change, ClusterView view, PolicySettings settings) {
        if ("status".equals(change.subResource())) {
            return Optional.of("status subresource");
        }
        var user = change.username();
        if (user != null && CONTROLLERS.contains(user)) {
            return Optional.of("request from control-plane controller " + user);
        }
        if (user != null && settings.exemptUsers().contains(user)) {
            return Optional.of("exempt user " + user);
        }
        var ns = view.namespace(change.ref().namespace());
        if (ns.isPresent() && ns.get().terminating()) {
            return Optional.of("namespace " + change.ref().namespace() + " is terminating");
        }
        if (change.isUpdate() && change.oldObject() != null
                && change.oldObject().getMetadata().getDeletionTimestamp() != null) {
            return Optional.of("object is being deleted");
        }
        if (change.isUpdate() && change.oldObject() != null && change.object() != null
                && Relevance.sameForRules(change.oldObject(), change.object())) {
            return Optional.of("no change to any field the rules read");
        }
        return Optional.empty();
    }
}
