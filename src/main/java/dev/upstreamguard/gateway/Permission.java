package dev.upstreamguard.gateway;

import dev.upstreamguard.cluster.ObjectRef;

/**
 * Whether a backendRef may point where it points: the link {@code route-backend-not-permitted} judges.
 *
 * @param backend     the backendRef
 * @param permitted   same namespace, or a ReferenceGrant in the target namespace permits it
 * @param grant       the grant that permits it, or null (same namespace, or not permitted)
 * @param explanation one line without the route's name: which grant permits it, or why none does
 * @param fix         how to permit it; empty when permitted
 */
public record Permission(RouteBackend backend, boolean permitted, ObjectRef grant, String explanation, String fix) {

    /** Needs no grant: the backend is in the route's namespace. */
    public boolean sameNamespace() {
        return !backend.crossNamespace();
    }
}
