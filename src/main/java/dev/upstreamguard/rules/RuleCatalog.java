package dev.upstreamguard.rules;

import java.util.List;
import java.util.Optional;

/** Every rule the guard knows, in catalog order. */
public final class RuleCatalog {
    private static final List<Rule<?>> ALL = List.of(
            new IngressServiceMissing(),
            new IngressServicePortMissing(),
            new ServiceSelectsNothing(),
            new ServiceTargetPortMissing());

    private RuleCatalog() {
    }

    public static List<Rule<?>> all() {
        return ALL;
    }

    public static Optional<RuleInfo> info(String id) {
        return ALL.stream().map(Rule::info).filter(i -> i.id().equals(id)).findFirst();
    }
}
