package dev.upstreamguard.rules;

import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * A Deployment that is the only pod source of a routed Service and whose rollout can take every replica down at
 * once: {@code Recreate}, or a {@code maxUnavailable} of at least the replica count. Every rollout is an outage.
 */
public final class RolloutEmptiesEndpoints extends WorkloadRule {
    public static final RuleInfo INFO = new RuleInfo("rollout-empties-endpoints", Severity.WARNING,
            "A rollout can take every pod of a routed Service down at once",
            "With strategy Recreate, or maxUnavailable covering every replica, a rollout stops all old pods before "
                    + "new ones are Ready: the Service has no endpoints and nginx answers 503/502 for the whole rollout.",
            "Use RollingUpdate with maxUnavailable below the replica count (e.g. 0 with maxSurge 1).");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> check(HasMetadata workload, ClusterView view) {
        if (!(workload instanceof Deployment d) || d.getSpec() == null) {
            return List.of();
        }
        var reason = reason(d);
        if (reason == null) {
            return List.of();
        }
        var only = Workloads.routedServicesOnlyServedBy(d, view);
        if (only.isEmpty()) {
            return List.of(); // other pod sources keep the endpoints filled
        }
        var service = only.get(0);
        var ref = ObjectRef.of(d);
        var message = Workloads.chainTo(service, view) + ref + " spec.strategy: " + reason
                + ", and it is the only pod source of " + ObjectRef.of(service) + ": every rollout empties its endpoints.";
        var fix = "use strategy RollingUpdate with maxUnavailable below the replica count (e.g. maxUnavailable: 0, maxSurge: 1).";
        var summary = ref + ": " + reason + " empties " + ObjectRef.of(service) + " on rollout";
        return List.of(INFO.finding(ref, "strategy", summary, message, fix, List.of(ref, ObjectRef.of(service))));
    }

    private static String reason(Deployment d) {
        var strategy = d.getSpec().getStrategy();
        if (strategy != null && "Recreate".equals(strategy.getType())) {
            return "type Recreate";
        }
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        if (strategy == null || strategy.getRollingUpdate() == null || replicas <= 0) {
            return null;
        }
        IntOrString max = strategy.getRollingUpdate().getMaxUnavailable();
        if (max == null) {
            return null;
        }
        int unavailable;
        if (max.getIntVal() != null) {
            unavailable = max.getIntVal();
        } else if (max.getStrVal() != null && max.getStrVal().endsWith("%")) {
            try {
                unavailable = (int) Math.floor(replicas * Integer.parseInt(max.getStrVal().replace("%", "").trim()) / 100.0);
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        return unavailable >= replicas ? "maxUnavailable " + (max.getIntVal() != null ? max.getIntVal() : max.getStrVal())
                + " covers all " + replicas + " replicas" : null;
    }
}
