package dev.upstreamguard.rules;

import java.util.List;
import java.util.Optional;

/** Every rule the guard knows, in catalog order. */
public final class RuleCatalog {
    private static final List<Rule<?>> ALL = with(IngressNginx.DEFAULT_PREFIX, LivenessProbeTooAggressive.DEFAULT_BUDGET_SECONDS);

    private RuleCatalog() {
    }

    /** Every rule with its default settings. */
    public static List<Rule<?>> all() {
        return ALL;
    }

    /**
     * Every rule, with the settings some of them take: the ingress-nginx annotation prefix (the controller's
     * {@code --annotations-prefix}) and the liveness start-up budget.
     */
    public static List<Rule<?>> with(String annotationPrefix, int livenessBudgetSeconds) {
        var prefix = IngressNginx.normalizePrefix(annotationPrefix);
        return List.of(
                new IngressServiceMissing(),
                new IngressServicePortMissing(),
                new RouteNotAttached(),
                new RouteBackendNotPermitted(),
                new RouteBackendMissing(),
                new RouteBackendPortMissing(),
                new ServiceSelectsNothing(),
                new ServiceTargetPortMissing(),
                new ReadinessProbePortMissing(),
                new LivenessProbePortMissing(),
                new StartupProbePortMissing(),
                new LivenessProbeTooAggressive(livenessBudgetSeconds),
                new LivenessEqualsReadiness(),
                new ReadinessProbeMissing(),
                new RolloutEmptiesEndpoints(),
                new WorkloadScaledToZero(),
                new IngressNginxTimeoutInvalid(prefix),
                new IngressClassMissing(),
                new IngressHostPathConflict(prefix),
                new IngressBackendProtocolMismatch(prefix));
    }

    /** Every rule, reading ingress-nginx annotations under {@code annotationPrefix}. */
    public static List<Rule<?>> all(String annotationPrefix) {
        return with(annotationPrefix, LivenessProbeTooAggressive.DEFAULT_BUDGET_SECONDS);
    }

    public static Optional<RuleInfo> info(String id) {
        return ALL.stream().map(Rule::info).filter(i -> i.id().equals(id)).findFirst();
    }
}
