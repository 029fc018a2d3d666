package dev.upstreamguard.policy;

import java.util.Optional;

import dev.upstreamguard.cluster.ClusterView;

/**
 * Requests that are answered allowed without evaluating anything: system controllers, teardown, status writes and
 * updates that change nothing the rules read.
 */
public final class Exemptions {
    static final String KUBE_SYSTEM_SA = "system:serviceaccount:kube-system:";

    private Exemptions() {
    }

    /** Why this change is exempt, or empty when it must be evaluated. */
    public static Optional<String> reason(Change change, ClusterView view, PolicySettings settings) {
        if ("status".equals(change.subResource())) {
            return Optional.of("status subresource");
        }
        var user = change.username();
        if (user != null && user.startsWith(KUBE_SYSTEM_SA)) {
            return Optional.of("request from kube-system controller " + user);
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
