package dev.upstreamguard.rules;

import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.gateway.ReferenceGrants;
import dev.upstreamguard.gateway.RouteBackend;

/**
 * A backendRef into another namespace that no ReferenceGrant there permits: conformant gateways refuse it
 * (RefNotPermitted) and answer 500 for it; some serve it anyway, which is a hole, not a fix.
 */
public final class RouteBackendNotPermitted extends GatewayRouteRule {
    public static final RuleInfo INFO = new RuleInfo("route-backend-not-permitted", Severity.ERROR,
            "HTTPRoute or GRPCRoute backendRef into another namespace that no ReferenceGrant permits",
            "A route may send traffic to a Service in another namespace only when a ReferenceGrant in that namespace "
                    + "lets routes of its kind from the route's namespace refer to it. Without one, the gateway "
                    + "refuses the backend (ResolvedRefs=False, RefNotPermitted) and answers 500 for it.",
            "Create a ReferenceGrant in the Service's namespace (from: group gateway.networking.k8s.io, the route's "
                    + "kind and namespace; to: group \"\", kind Service, optionally its name), or move the route.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public RouteWalk.Link link() {
        return RouteWalk.Link.PERMITTED;
    }

    @Override
    public List<Finding> checkRoute(RouteWalk walk, ClusterView view) {
        var b = walk.backend();
        var permission = ReferenceGrants.permission(RouteBackend.of(b),
                view.referenceGrants(b.service().namespace()));
        var message = b.describe() + " -> " + b.service() + ": " + permission.explanation() + ".";
        var summary = walk.briefChain() + ": no ReferenceGrant permits it";
        return List.of(INFO.finding(b.route(), b.routeKey(), summary, message, permission.fix(),
                List.of(b.route(), b.service())).absent());
    }
}
