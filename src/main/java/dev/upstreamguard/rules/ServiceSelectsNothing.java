package dev.upstreamguard.rules;

import java.util.HashMap;
import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.Service;

/** A Service whose selector matches no pod template and no live pod: it has no endpoints, nginx answers 503/502. */
public final class ServiceSelectsNothing extends ServiceRule {
    public static final RuleInfo INFO = new RuleInfo("service-selects-nothing", Severity.ERROR,
            "Service selector matches no pods",
            "A Service with no matching pods has no endpoints: every route to it fails at once, and new pods take a "
                    + "whole rollout to appear even when the mistake is fixed.",
            "Make the selector match the pod template labels of the workload that should serve it.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> check(Service service, ClusterView view) {
        if (!Services.selectsPods(service)) {
            return List.of(); // ExternalName, selector-less: endpoints come from elsewhere
        }
        var ns = service.getMetadata().getNamespace();
        var selector = Services.selector(service);
        if (!view.podSourcesSelectedBy(ns, selector).isEmpty()) {
            return List.of();
        }
        var ref = ObjectRef.of(service);
        var shown = Services.describeSelector(selector);
        var message = Routes.leadingTo(view, service) + ref + " spec.selector {" + shown
                + "} matches no pod template and no pod in namespace " + ns + nearMiss(view, ns, selector) + ".";
        var fix = "make spec.selector match the pod template labels of the workload that serves " + ref
                + " (or fix those labels).";
        var summary = ref + ": selector " + shown + " matches no pods";
        return List.of(INFO.finding(ref, "selector", summary, message, fix, List.of(ref)).absent());
    }

    @Override
    public RouteWalk.Link link() {
        return RouteWalk.Link.PODS;
    }

    /** A route that leads to a Service selecting nothing: a finding on the route, so moving a route onto it is seen. */
    @Override
    public List<Finding> checkRoute(RouteWalk walk, ClusterView view) {
        var b = walk.backend();
        var service = walk.service();
        var ref = ObjectRef.of(service);
        var selector = Services.selector(service);
        var shown = Services.describeSelector(selector);
        var message = walk.chain() + ": spec.selector {" + shown + "} matches no pod template and no pod in namespace "
                + ref.namespace() + nearMiss(view, ref.namespace(), selector) + ".";
        var fix = "point the route at a Service whose pods run, or make spec.selector of " + ref
                + " match the pod template labels of the workload that serves it.";
        var summary = walk.briefChain() + ": selector " + shown + " matches no pods";
        return List.of(INFO.finding(b.route(), b.routeKey(), summary, message, fix, List.of(b.route(), ref)).absent());
    }

    /** For a multi-label selector, the pod sources that match all but one pair: the likely typo. */
    private static String nearMiss(ClusterView view, String ns, java.util.Map<String, String> selector) {
        if (selector.size() < 2) {
            return "";
        }
        for (var key : selector.keySet().stream().sorted().toList()) {
            var rest = new HashMap<>(selector);
            rest.remove(key);
            var near = view.podSourcesSelectedBy(ns, rest);
            if (!near.isEmpty()) {
                var s = near.get(0);
                var actual = s.labels().get(key);
                return " (" + s.ref() + " matches all but " + key + "=" + selector.get(key) + ": it has "
                        + (actual == null ? "no label " + key : key + "=" + actual) + ")";
            }
        }
        return "";
    }
}
