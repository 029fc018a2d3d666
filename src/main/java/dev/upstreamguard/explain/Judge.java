package dev.upstreamguard.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.Finding;
import dev.upstreamguard.rules.IngressNginx;
import dev.upstreamguard.rules.LivenessProbeTooAggressive;
import dev.upstreamguard.rules.RuleCatalog;
import dev.upstreamguard.rules.RouteWalk;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The webhook's rules as {@code explain} runs them: the rule of a walk's broken link ({@code rule.checkRoute}), or one
 * rule by id on an object, with the severities this guard is configured with. A rule that throws says nothing here
 * (explain then shows the hop as the walk found it); a rule switched off keeps its default severity, since explain
 * reports what is broken whatever the webhook does about it.
 */
public final class Judge {
    private final Evaluator evaluator;
    private final UnaryOperator<Finding> severities;
    private final String annotationPrefix;

    /**
     * @param evaluator        the rules, with their settings
     * @param severities       a finding at its configured severity, or null when its rule is switched off
     * @param annotationPrefix ingress-nginx's {@code --annotations-prefix}
     */
    public Judge(Evaluator evaluator, UnaryOperator<Finding> severities, String annotationPrefix) {
        this.evaluator = evaluator;
        this.severities = severities;
        this.annotationPrefix = IngressNginx.normalizePrefix(annotationPrefix);
    }

    /** The rules with their defaults, findings at their rules' own severities. */
    public static Judge defaults() {
        return new Judge(new Evaluator(RuleCatalog.with(IngressNginx.DEFAULT_PREFIX,
                LivenessProbeTooAggressive.DEFAULT_BUDGET_SECONDS)), f -> f, IngressNginx.DEFAULT_PREFIX);
    }

    public String annotationPrefix() {
        return annotationPrefix;
    }

    /** What the webhook says about the first broken link of this walk. */
    public List<Finding> onWalk(RouteWalk walk, ClusterView view) {
        return configured(evaluator.judge(walk, view, new ArrayList<>()));
    }

    /** What rule {@code ruleId} says about {@code subject}. */
    public List<Finding> rule(String ruleId, HasMetadata subject, ClusterView view) {
        return configured(evaluator.run(ruleId, subject, view, new ArrayList<>()));
    }

    private List<Finding> configured(List<Finding> findings) {
        var out = new ArrayList<Finding>(findings.size());
        for (var f : findings) {
            var c = severities.apply(f);
            out.add(c == null ? f : c);
        }
        return out;
    }
}
