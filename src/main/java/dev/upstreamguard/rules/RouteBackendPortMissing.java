package dev.upstreamguard.rules;

import java.util.List;
import java.util.stream.Collectors;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;

/**
 * A backendRef's port is not one of its Service's ports. Gateway API backendRefs name the Service port, never the
 * targetPort (the container's port): the slip this catches most.
 */
public final class RouteBackendPortMissing extends GatewayRouteRule {
    public static final RuleInfo INFO = new RuleInfo("route-backend-port-missing", Severity.ERROR,
            "HTTPRoute or GRPCRoute backendRef asks for a port the Service does not expose",
            "A backendRef port must be one of the Service's spec.ports[].port. A port the Service does not expose has "
                    + "no endpoints: the gateway answers 500 or 503 for that backend, and some implementations still "
                    + "report ResolvedRefs=True, so the route looks healthy.",
            "Use the Service port (spec.ports[].port), not the targetPort, or add the port to the Service.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public RouteWalk.Link link() {
        return RouteWalk.Link.PORT;
    }

    @Override
    public List<Finding> checkRoute(RouteWalk walk, ClusterView view) {
        var b = walk.backend();
        var ports = Services.ports(walk.service());
        var has = ports.isEmpty() ? "no ports" : ports.stream().map(Services::describe).collect(Collectors.joining(", "));
        var svc = ObjectRef.of(walk.service());
        var message = b.describe() + " -> " + svc + ": no port " + b.portNumber() + " (it has " + has + ").";
        var summary = walk.briefChain() + ": no port " + b.portNumber() + " (it has " + has + ")";
        return List.of(INFO.finding(b.route(), b.routeKey(), summary, message, IngressServicePortMissing.fix(b, ports),
                List.of(b.route(), svc)));
    }
}
