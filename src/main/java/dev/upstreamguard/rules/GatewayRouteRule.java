package dev.upstreamguard.rules;

import dev.upstreamguard.gateway.GatewayRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A rule over the links of Gateway API routes (HTTPRoute, GRPCRoute): judged per walked backendRef, never on other
 * route kinds.
 */
abstract class GatewayRouteRule implements Rule<HasMetadata> {
    @Override
    public Class<HasMetadata> subjectType() {
        return HasMetadata.class;
    }

    @Override
    public java.util.List<Finding> check(HasMetadata subject, dev.upstreamguard.cluster.ClusterView view) {
        return java.util.List.of(); // judged per backendRef: checkRoute
    }

    @Override
    public boolean judgesRoutesOf(String routeKind) {
        return GatewayRoute.HTTP_ROUTE.equals(routeKind) || GatewayRoute.GRPC_ROUTE.equals(routeKind);
    }
}
