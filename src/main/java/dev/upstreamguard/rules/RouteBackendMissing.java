package dev.upstreamguard.rules;

import java.util.List;

import dev.upstreamguard.cluster.ClusterView;

/** A backendRef names a Service that does not exist: the gateway has nowhere to send that share of traffic (500). */
public final class RouteBackendMissing extends GatewayRouteRule {
    public static final RuleInfo INFO = new RuleInfo("route-backend-missing", Severity.ERROR,
            "HTTPRoute or GRPCRoute backendRef names a Service that does not exist",
            "Gateway API implementations answer 500 for the share of requests a rule sends to a backendRef whose "
                    + "Service is missing (ResolvedRefs=False, BackendNotFound); with a single backendRef, every request "
                    + "to the rule fails.",
            "Create the Service in the backendRef's namespace, or point the backendRef at an existing Service.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public RouteWalk.Link link() {
        return RouteWalk.Link.SERVICE;
    }

    @Override
    public List<Finding> checkRoute(RouteWalk walk, ClusterView view) {
        var b = walk.backend();
        var svc = b.service();
        var names = view.servicesIn(svc.namespace()).stream().map(s -> s.getMetadata().getName()).toList();
        var message = b.describe() + " -> " + svc + ": no such Service in namespace " + svc.namespace() + " (it has: "
                + Routes.closest(names, svc.name(), 5) + ").";
        var fix = "create Service " + svc.namespace() + "/" + svc.name() + ", or point the backendRef at an existing "
                + "Service.";
        return List.of(INFO.finding(b.route(), b.routeKey(), walk.briefChain() + ": Service not found", message, fix,
                List.of(b.route(), svc)).absent());
    }
}
