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
        return List.of(Routes.serviceMissing(INFO, walk, view, "backendRef"));
    }
}
