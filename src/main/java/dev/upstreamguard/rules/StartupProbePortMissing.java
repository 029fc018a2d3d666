package dev.upstreamguard.rules;

import io.fabric8.kubernetes.api.model.Container;

/** A startup probe on a port the container does not declare: the container never counts as started. */
public final class StartupProbePortMissing extends ProbePortRule {
    public static final RuleInfo INFO = new RuleInfo("startup-probe-port-missing", Severity.ERROR,
            "Startup probe targets a port the container does not declare",
            "Until the startup probe succeeds no other probe runs and the pod is never Ready; when it can never "
                    + "succeed the kubelet kills the container at the failure threshold: CrashLoopBackOff, no endpoints.",
            "Point the probe at a port the container declares, or declare the port under that name.");

    public StartupProbePortMissing() {
        super("startupProbe", Container::getStartupProbe, "the container never starts and is restarted");
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }
}
