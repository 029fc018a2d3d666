package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.cluster.PodSources;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** {@code replicas: 0} on the only pod source of a routed Service: the route answers 503/502 until it is scaled up. */
public final class WorkloadScaledToZero extends WorkloadRule {
    public static final RuleInfo INFO = new RuleInfo("workload-scaled-to-zero", Severity.WARNING,
            "Workload scaled to zero is the only pod source of a routed Service",
            "With no replicas the Service behind the Ingress has no endpoints: every request on the route fails "
                    + "until someone scales it up again. Often intended (maintenance, cost); sometimes a typo or a "
                    + "stale values file.",
            "Scale it up, or remove the Ingress route while it is down (or accept the warning for planned downtime).");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> check(HasMetadata workload, ClusterView view) {
        var replicas = PodSources.replicas(workload);
        if (!Workloads.reviewed(workload) || replicas == null || replicas > 0) {
            return List.of();
        }
        var out = new ArrayList<Finding>();
        var ref = ObjectRef.of(workload);
        for (var service : Workloads.routedServicesOnlyServedBy(workload, view)) {
            var svc = ObjectRef.of(service);
            var message = Workloads.chainTo(service, view) + ref + " spec.replicas: 0, and it is the only pod source "
                    + "of " + svc + ": the route has no endpoints.";
            var fix = "scale " + ref + " up, or take the route out of the Ingress while it is down.";
            var summary = ref + " scaled to 0: no endpoints for " + svc;
            out.add(INFO.finding(ref, "replicas " + svc, summary, message, fix, List.of(ref, svc)));
        }
        return out;
    }
}
