package dev.upstreamguard.cluster;

import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/** The routes of any object that holds routes to Services: one entry point whatever the kind. */
public final class RouteBackends {
    /** The kinds whose objects hold routes. */
    public static final Set<String> ROUTE_KINDS = Set.of("Ingress");

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
        return List.of();
    }
}
