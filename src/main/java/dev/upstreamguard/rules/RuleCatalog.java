package dev.upstreamguard.rules;

import java.util.List;
import java.util.Optional;

/** Every rule the guard knows, in catalog order. */
public final class RuleCatalog {
    private static final List<Rule<?>> ALL = with(LivenessProbeTooAggressive.DEFAULT_BUDGET_SECONDS);

    private RuleCatalog() {
    }

    /** Every rule with its default settings. */
    public static List<Rule<?>> all() {
        return ALL;
    }

    /** Every rule, with the settings some of them take. */
    public static List<Rule<?>> with(int livenessBudgetSeconds) {
        return List.of(
                new IngressServiceMissing(),
                new IngressServicePortMissing(),
                new ServiceSelectsNothing(),
                new ServiceTargetPortMissing(),
                new ReadinessProbePortMissing(),
                new LivenessProbePortMissing(),
                new StartupProbePortMissing(),
                new LivenessProbeTooAggressive(livenessBudgetSeconds),
                new LivenessEqualsReadiness(),
                new ReadinessProbeMissing(),
                new RolloutEmptiesEndpoints(),
                new WorkloadScaledToZero());
    }

    public static Optional<RuleInfo> info(String id) {
        return ALL.stream().map(Rule::info).filter(i -> i.id().equals(id)).findFirst();
    }
}
