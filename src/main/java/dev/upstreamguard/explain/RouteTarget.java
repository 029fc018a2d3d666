package dev.upstreamguard.explain;

import dev.upstreamguard.cluster.Backend;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One route the request (or the object asked about) reaches, to be walked: the object that holds it and the route.
 *
 * @param owner  the Ingress, HTTPRoute or GRPCRoute
 * @param route  the route: a path's or default backend's Service, or one backendRef
 * @param share  for a Gateway API backendRef among several, the share of the rule's requests it gets ({@code 90%}),
 *               else null
 */
public record RouteTarget(HasMetadata owner, Backend route, String share) {
}
