/**
 * Gateway API semantics as pure functions over fabric8 model objects: the backendRefs of an HTTPRoute or GRPCRoute,
 * whether a parentRef attaches to a Gateway listener, whether a ReferenceGrant permits a cross-namespace backendRef,
 * what a route's own {@code status.parents} says, and the phrases that name these links in messages.
 *
 * <p>No CDI, no client, no I/O, no clock: callers hand in the objects (or lookups over their caches) and get values
 * back. What the Gateway API spec leaves to implementations is decided here once, leniently, so that no route a
 * conformant controller would accept is ever reported as broken.
 */
package dev.upstreamguard.gateway;
