package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.cluster.RouteBackends;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Runs the rules over what a change touches in one view. The webhook, the audit, {@code check} and the tests all call
 * this one evaluator. Route objects are walked route by route ({@link RouteWalk}), once per route, and each broken
 * route goes to the rule of its first broken link. A rule that throws is recorded as a {@link RuleFailure}, never
 * propagated.
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
     * Evaluates the scope in the view. The routes of the changed object are judged link by link, the Service-side
     * links included (a route moved onto a Service that selects nothing is this change's doing). Route objects reached
     * through a changed Service, Gateway or ReferenceGrant keep only the findings that involve it ({@link
     * Scope#concerns}): the rest of them is not this change's business, and a Service's own findings already name its
     * routes.
     */
    public Evaluation evaluate(ClusterView view, Scope scope, HasMetadata changedObject) {
        var findings = new ArrayList<Finding>();
        var failures = new ArrayList<RuleFailure>();
        for (var ref : scope.routes()) {
            var owner = view.object(ref).orElse(null);
            if (owner == null) {
                continue;
            }
            boolean changed = ref.equals(scope.changed());
            for (var f : run(owner, view, failures, changed)) {
                if (changed || scope.concerns(f)) {
                    findings.add(f);
                }
            }
        }
        for (var ref : scope.services()) {
            view.service(ref.namespace(), ref.name()).ifPresent(s -> findings.addAll(run(s, view, failures, false)));
        }
        var kind = scope.changed().kind();
        if (changedObject != null && !RouteBackends.holdsRoutes(kind) && !kind.equals("Service")) {
            findings.addAll(run(changedObject, view, failures, false));
        }
        return new Evaluation(findings, failures);
    }

    /** Runs every rule that applies to this object's type, and the route rules on its routes (as the audit does). */
    public List<Finding> run(HasMetadata subject, ClusterView view, List<RuleFailure> failures) {
        return run(subject, view, failures, false);
    }

    /**
     * @param serviceSideLinks also judge the Service-side links of the object's routes (pods, targetPort): for the
     *                         changed route object only; elsewhere the Service's own findings cover them
     */
    List<Finding> run(HasMetadata subject, ClusterView view, List<RuleFailure> failures, boolean serviceSideLinks) {
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
        if (RouteBackends.holdsRoutes(subject.getKind())) {
            walkRoutes(subject, view, failures, serviceSideLinks, out);
        }
        return out;
    }

    private void walkRoutes(HasMetadata owner, ClusterView view, List<RuleFailure> failures, boolean serviceSideLinks,
                            List<Finding> out) {
        var ownerRef = ObjectRef.of(owner);
        for (var backend : RouteBackends.of(owner)) {
            RouteWalk walk;
            try {
                walk = RouteWalk.walk(backend, view);
            } catch (RuntimeException e) {
                // no route rule could judge this route: each is failed on the owner, so none can deny on it
                for (var rule : rules) {
                    if (rule.link() != null && rule.judgesRoutesOf(ownerRef.kind())) {
                        failures.add(new RuleFailure(rule.info().id(), ownerRef, e));
                    }
                }
                continue;
            }
            if (walk.broken() == RouteWalk.Link.NONE || (!serviceSideLinks && serviceSide(walk.broken()))) {
                continue;
            }
            out.addAll(judge(walk, view, failures));
        }
    }

    /**
     * The findings of the rule(s) of a walked route's first broken link, for the route's kind: what the webhook says
     * about that route ({@code explain} shows them hop by hop). Nothing for a route with no broken link.
     */
    public List<Finding> judge(RouteWalk walk, ClusterView view, List<RuleFailure> failures) {
        var out = new ArrayList<Finding>();
        if (walk.broken() == RouteWalk.Link.NONE) {
            return out;
        }
        var ownerRef = walk.backend().route();
        for (var rule : rules) {
            if (rule.link() != walk.broken() || !rule.judgesRoutesOf(ownerRef.kind())) {
                continue;
            }
            try {
                out.addAll(rule.checkRoute(walk, view));
            } catch (RuntimeException e) {
                failures.add(new RuleFailure(rule.info().id(), ownerRef, e));
            }
        }
        return out;
    }

    /** Runs the one rule {@code ruleId} on {@code subject}, if it judges objects of its type; nothing otherwise. */
    public List<Finding> run(String ruleId, HasMetadata subject, ClusterView view, List<RuleFailure> failures) {
        for (var rule : rules) {
            if (!rule.info().id().equals(ruleId) || !rule.subjectType().isInstance(subject)) {
                continue;
            }
            try {
                return check(rule, subject, view);
            } catch (RuntimeException e) {
                failures.add(new RuleFailure(ruleId, ObjectRef.of(subject), e));
            }
        }
        return List.of();
    }

    /** The links past the Service port: the Service's own rules judge them too. */
    static boolean serviceSide(RouteWalk.Link link) {
        return link == RouteWalk.Link.PODS || link == RouteWalk.Link.TARGET_PORT;
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> List<Finding> check(Rule<T> rule, HasMetadata subject, ClusterView view) {
        return rule.check((T) subject, view);
    }
}
