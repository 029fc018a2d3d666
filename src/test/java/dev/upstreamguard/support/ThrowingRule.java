package dev.upstreamguard.support;

import java.util.List;
import java.util.function.Predicate;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.rules.Finding;
import dev.upstreamguard.rules.Rule;
import dev.upstreamguard.rules.RuleInfo;
import dev.upstreamguard.rules.Severity;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A rule for tests of what a failing rule may and may not do: on a reviewed workload it throws when {@code throwsOn}
 * says so, and otherwise finds an error on it.
 */
public final class ThrowingRule implements Rule<HasMetadata> {
    private final RuleInfo info;
    private final Predicate<HasMetadata> throwsOn;

    private ThrowingRule(String id, Predicate<HasMetadata> throwsOn) {
        this.info = new RuleInfo(id, Severity.ERROR, "a rule that throws", "why it matters: nothing, it is a test rule",
                "nothing to fix: it is a test rule");
        this.throwsOn = throwsOn;
    }

    public static ThrowingRule onWorkloads(String id, Predicate<HasMetadata> throwsOn) {
        return new ThrowingRule(id, throwsOn);
    }

    @Override
    public RuleInfo info() {
        return info;
    }

    @Override
    public Class<HasMetadata> subjectType() {
        return HasMetadata.class;
    }

    @Override
    public List<Finding> check(HasMetadata subject, ClusterView view) {
        if (!List.of("Deployment", "StatefulSet", "DaemonSet").contains(subject.getKind())) {
            return List.of();
        }
        if (throwsOn.test(subject)) {
            throw new IllegalStateException("boom on " + ObjectRef.of(subject));
        }
        var ref = ObjectRef.of(subject);
        return List.of(info.finding(ref, "always", ref + ": found", ref + ": found by the test rule.", "nothing.",
                List.of(ref)));
    }
}
