package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Runs the rules over what a change touches in one view. The webhook, the audit and the tests all call this one
 * evaluator. A rule that throws is recorded as a {@link RuleFailure}, never propagated.
 */
public final class Evaluator {
    private final List<Rule<?>> rules;

    public Evaluator(List<Rule<?>> rules) {
        this.rules = List.copyOf(rules);
    }

    public Evaluator() {
        this(RuleCatalog.all());
    }

    public List<Rule<?>> rules() {
        return rules;
    }

    /** A rule that threw, with the object it was checking. */
    public record RuleFailure(String ruleId, ObjectRef subject, RuntimeException error) {
    }

    /** The findings of one view, and the rules that failed while producing them. */
    public record Evaluation(List<Finding> findings, List<RuleFailure> failures) {
    }

    /**
     * Evaluates the scope in the view. Findings of Ingresses reached through a changed Service or workload are kept
     * only when they involve one of the scope's Services: the rest of those Ingresses is not this change's business.
     */
    public Evaluation evaluate(ClusterView view, Scope scope, HasMetadata changedObject) {
        var findings = new ArrayList<Finding>();
        var failures = new ArrayList<RuleFailure>();
        boolean ingressChanged = scope.changed().kind().equals("Ingress");
        for (var ref : scope.ingresses()) {
            var ingress = view.ingress(ref.namespace(), ref.name()).orElse(null);
            if (ingress == null) {
                continue;
            }
            for (var f : run(ingress, view, failures)) {
                if (ingressChanged || scope.services().stream().anyMatch(f::involves)) {
                    findings.add(f);
                }
            }
        }
        for (var ref : scope.services()) {
            view.service(ref.namespace(), ref.name()).ifPresent(s -> findings.addAll(run(s, view, failures)));
        }
        if (changedObject != null && !ingressChanged && !scope.changed().kind().equals("Service")) {
            findings.addAll(run(changedObject, view, failures));
        }
        return new Evaluation(findings, failures);
    }

    /** Runs every rule that applies to this object's type. */
    public List<Finding> run(HasMetadata subject, ClusterView view, List<RuleFailure> failures) {
        var out = new ArrayList<Finding>();
        for (var rule : rules) {
            if (!rule.subjectType().isInstance(subject)) {
                continue;
            }
            try {
                out.addAll(check(rule, subject, view));
            } catch (RuntimeException e) {
                failures.add(new RuleFailure(rule.info().id(), ObjectRef.of(subject), e));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> List<Finding> check(Rule<T> rule, HasMetadata subject, ClusterView view) {
        return rule.check((T) subject, view);
    }
}
