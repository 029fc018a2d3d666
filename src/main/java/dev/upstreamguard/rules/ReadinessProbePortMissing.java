package dev.upstreamguard.rules;

import io.fabric8.kubernetes.api.model.Container;

/** A readiness probe on a port the container does not declare: the pods are never Ready, the Service has no endpoints. */
public final class ReadinessProbePortMissing extends ProbePortRule {
    public static final RuleInfo INFO = new RuleInfo("readiness-probe-port-missing", Severity.ERROR,
            "Readiness probe targets a port the container does not declare",
            "The kubelet resolves a named probe port in the container itself; when it is not there the probe fails "
                    + "forever, the pods never become Ready and the Service behind the Ingress has no endpoints (503/502). "
                    + "A rollout with it stalls with every new pod unready.",
            "Point the probe at a port the container declares, or declare the port under that name.");

    public ReadinessProbePortMissing() {
        super("readinessProbe", Container::getReadinessProbe, "the pods never become Ready, so they get no endpoints");
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }
}
