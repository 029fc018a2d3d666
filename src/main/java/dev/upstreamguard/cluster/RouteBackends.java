package dev.upstreamguard.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.upstreamguard.gateway.GatewayRoute;
import dev.upstreamguard.gateway.RouteBackend;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * The routes of any object that holds routes to Services, as the one {@link Backend} model: Ingress paths and default
 * backends, and the Service backendRefs of HTTPRoute and GRPCRoute rules. One entry point whatever the kind.
 */
public final class RouteBackends {
    /** The kinds whose objects hold routes. */
    public static final Set<String> ROUTE_KINDS = Set.of("Ingress", GatewayRoute.HTTP_ROUTE, GatewayRoute.GRPC_ROUTE);

    private RouteBackends() {
    }

    public static boolean holdsRoutes(String kind) {
        return ROUTE_KINDS.contains(kind);
    }

    /** Every route to a Service the object holds; none for an object that holds no routes. */
    public static List<Backend> of(HasMetadata object) {
        if (object instanceof Ingress i) {
            return IngressBackends.of(i);
        }
        if (GatewayRoute.isRoute(object)) {
            var out = new ArrayList<Backend>();
            for (var b : GatewayRoute.of(object).serviceBackends()) {
                out.add(of(b));
            }
            return out;
        }
        return List.of();
    }

    /**
     * A Service backendRef as a route: keyed by its rule (its name, or its first hostname and match) and its place
     * among the rule's backendRefs, so a backendRef re-pointed to another Service is the same route, judged as moved.
     */
    static Backend of(RouteBackend b) {
        var field = b.field();
        var slot = field.substring(field.lastIndexOf('[') + 1, field.length() - 1);
        var rule = b.ruleName() != null ? "rule " + b.ruleName() : b.where();
        return new Backend(b.route(), field, b.host(), b.match(), null, b.target(), b.port(), null,
                rule + " #" + slot, b.where());
    }
}
