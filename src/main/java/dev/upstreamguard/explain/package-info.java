/**
 * {@code explain}: "why does this URL answer 502/504?" in one answer. A URL (or an Ingress, an HTTPRoute/GRPCRoute, a
 * Service) is resolved as the data plane would resolve it (ingress-nginx host and path matching, Gateway API route
 * precedence), then each route it reaches is walked hop by hop with the one route walker
 * ({@link dev.upstreamguard.rules.RouteWalk}) and the very rules the webhook runs, down to the pods' readiness and the
 * timeouts that end in a 504. Pure over a {@link dev.upstreamguard.cluster.ClusterIndex}: the management interface
 * ({@code GET /explain}) and the command ({@code upstream-guard explain}) are two doors into it.
 */
package dev.upstreamguard.explain;
