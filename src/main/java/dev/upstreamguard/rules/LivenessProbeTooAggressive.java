package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A liveness probe with no startup probe that gives up before a slow starter is up:
 * {@code initialDelaySeconds + periodSeconds x failureThreshold} under the budget (default 30 s). New pods are killed
 * before they ever serve, and the rollout turns into CrashLoopBackOff.
 */
public final class LivenessProbeTooAggressive extends WorkloadRule {
    public static final int DEFAULT_BUDGET_SECONDS = 30;
    public static final RuleInfo INFO = new RuleInfo("liveness-probe-too-aggressive", Severity.WARNING,
            "Liveness probe kills containers before a slow start can finish",
            "Without a startup probe, the liveness probe starts judging at initialDelaySeconds and kills the "
                    + "container after periodSeconds x failureThreshold: a JVM or a cache warm-up that takes longer "
                    + "never gets to serve, and every new pod of a rollout lands in CrashLoopBackOff.",
            "Add a startupProbe that allows for the slowest start, or raise initialDelaySeconds / failureThreshold.");

    private final int budgetSeconds;

    public LivenessProbeTooAggressive(int budgetSeconds) {
        this.budgetSeconds = budgetSeconds;
    }

    public LivenessProbeTooAggressive() {
        this(DEFAULT_BUDGET_SECONDS);
    }

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
            var live = c.getLivenessProbe();
            if (live == null || c.getStartupProbe() != null) {
                continue;
            }
            int delay = orDefault(live.getInitialDelaySeconds(), 0);
            int period = orDefault(live.getPeriodSeconds(), 10);
            int threshold = orDefault(live.getFailureThreshold(), 3);
            int window = delay + period * threshold;
            if (window >= budgetSeconds) {
                continue;
            }
            var message = ref + " container \"" + c.getName() + "\" livenessProbe gives up after " + window
                    + " s (initialDelaySeconds " + delay + " + periodSeconds " + period + " x failureThreshold "
                    + threshold + ") and there is no startupProbe: a start slower than that is killed before it serves.";
            var fix = "add a startupProbe (e.g. the same check with failureThreshold covering the slowest start), or "
                    + "raise initialDelaySeconds so the window is at least " + budgetSeconds + " s.";
            var summary = ref + " container \"" + c.getName() + "\" livenessProbe gives up after " + window
                    + " s, no startupProbe";
            out.add(INFO.finding(ref, c.getName(), summary, message, fix, List.of(ref)));
        }
        return out;
    }

    private static int orDefault(Integer v, int d) {
        return v == null ? d : v;
    }
}
