package dev.upstreamguard.rules;

import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A routed workload with no readiness probe in any container: pods join the endpoints the moment they start, before
 * they can answer, and nginx gets connection refused (502) during every rollout.
 */
public final class ReadinessProbeMissing extends WorkloadRule {
    public static final RuleInfo INFO = new RuleInfo("readiness-probe-missing", Severity.WARNING,
            "Routed workload has no readiness probe",
            "Without a readiness probe a pod is added to the endpoints as soon as its containers start, before the "
                    + "application listens: nginx gets connection refused and answers 502 on every rollout and restart.",
            "Add a readinessProbe that succeeds only once the application serves.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> check(HasMetadata workload, ClusterView view) {
        var template = Workloads.template(workload).orElse(null);
        if (template == null || template.getSpec().getContainers() == null
                || template.getSpec().getContainers().stream().anyMatch(c -> c.getReadinessProbe() != null)) {
            return List.of();
        }
        var service = Workloads.routedService(workload, view).orElse(null);
        if (service == null || Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses())) {
            return List.of(); // only routed workloads; publishNotReadyAddresses ignores readiness anyway
        }
        var ref = ObjectRef.of(workload);
        var message = Workloads.chainTo(service, view) + ref + ": no container has a readinessProbe, so new pods "
                + "receive traffic before they listen.";
        var fix = "add a readinessProbe (httpGet on the serving port, or tcpSocket) to the serving container.";
        var summary = ref + " is routed but has no readinessProbe";
        return List.of(INFO.finding(ref, "readiness", summary, message, fix, List.of(ref, ObjectRef.of(service))));
    }
}
