package dev.upstreamguard.rules;

import io.fabric8.kubernetes.api.model.Container;

/** A liveness probe on a port the container does not declare: the kubelet kills the container over and over. */
public final class LivenessProbePortMissing extends ProbePortRule {
    public static final RuleInfo INFO = new RuleInfo("liveness-probe-port-missing", Severity.ERROR,
            "Liveness probe targets a port the container does not declare",
            "A liveness probe that can never succeed restarts the container after every failure threshold: "
                    + "CrashLoopBackOff, and the Service loses its endpoints pod by pod as the rollout proceeds.",
            "Point the probe at a port the container declares, or declare the port under that name.");

    public LivenessProbePortMissing() {
        super("livenessProbe", Container::getLivenessProbe, "the container is restarted until CrashLoopBackOff");
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }
}
