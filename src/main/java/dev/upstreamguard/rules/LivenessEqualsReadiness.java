package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;

/**
 * The liveness probe is the readiness probe: when the check fails because a dependency is slow, every pod is restarted
 * at once instead of just leaving the endpoints until it recovers.
 */
public final class LivenessEqualsReadiness extends WorkloadRule {
    public static final RuleInfo INFO = new RuleInfo("liveness-equals-readiness", Severity.WARNING,
            "Liveness probe is the same check as the readiness probe",
            "A readiness check that fails under load or when a dependency is down should only take the pod out of "
                    + "the endpoints; as a liveness check it restarts every pod at once, turning a slow upstream "
                    + "into 502s for every route.",
            "Make the liveness probe check only that the process is alive (a cheaper endpoint, or a longer threshold).");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> check(HasMetadata workload, ClusterView view) {
        var template = Workloads.template(workload).orElse(null);
        if (template == null || template.getSpec().getContainers() == null) {
            return List.of();
        }
        var out = new ArrayList<Finding>();
        var ref = ObjectRef.of(workload);
        for (var c : template.getSpec().getContainers()) {
            if (!sameCheck(c.getLivenessProbe(), c.getReadinessProbe())) {
                continue;
            }
            var message = ref + " container \"" + c.getName() + "\" livenessProbe is the same check as its "
                    + "readinessProbe: when it fails, every pod is restarted instead of only leaving the endpoints.";
            var fix = "give the livenessProbe a check of its own (process alive, not dependencies ready), or a "
                    + "longer failureThreshold than the readinessProbe.";
            var summary = ref + " container \"" + c.getName() + "\" livenessProbe equals its readinessProbe";
            out.add(INFO.finding(ref, c.getName(), summary, message, fix, List.of(ref)));
        }
        return out;
    }

    /** Same handler and the same failure threshold: a difference in either is a deliberate choice. */
    static boolean sameCheck(Probe a, Probe b) {
        if (a == null || b == null) {
            return false;
        }
        return Objects.equals(a.getHttpGet(), b.getHttpGet()) && Objects.equals(a.getTcpSocket(), b.getTcpSocket())
                && Objects.equals(a.getGrpc(), b.getGrpc()) && Objects.equals(a.getExec(), b.getExec())
                && Objects.equals(a.getFailureThreshold(), b.getFailureThreshold())
                && Objects.equals(a.getPeriodSeconds(), b.getPeriodSeconds());
    }
}
