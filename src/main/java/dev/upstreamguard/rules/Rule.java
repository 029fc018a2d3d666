package dev.upstreamguard.rules;

import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A small pure function from an object and a cluster view to findings: no I/O, no client, no clock, no mode.
 * Whether a finding denies is decided elsewhere ({@code policy}).
 *
 * <p>A rule that judges one link of a route says which ({@link #link()}): the evaluator walks each route once
 * ({@link RouteWalk}) and hands the walk to the rule of its first broken link. Such a rule may judge objects too (the
 * Service-side links are also judged on the Service itself).
 */
public interface Rule<T extends HasMetadata> {

    RuleInfo info();

    /** The kind of object this rule checks. */
    Class<T> subjectType();

    List<Finding> check(T subject, ClusterView view);

    /** The route link this rule judges, or null when it judges no route link. */
    default RouteWalk.Link link() {
        return null;
    }

    /** True when this rule judges routes of this kind ({@code Ingress}, {@code HTTPRoute} ...); all kinds by default. */
    default boolean judgesRoutesOf(String routeKind) {
        return true;
    }

    /** Findings on one walked route whose first broken link is {@link #link()}. */
    default List<Finding> checkRoute(RouteWalk route, ClusterView view) {
        return List.of();
    }
}
