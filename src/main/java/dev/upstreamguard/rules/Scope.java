package dev.upstreamguard.rules;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.upstreamguard.cluster.Backend;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.cluster.PodSources;
import dev.upstreamguard.cluster.RouteBackends;
import dev.upstreamguard.gateway.GatewayRoute;
import dev.upstreamguard.gateway.Grant;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What a change touches, found through indexes: a route object's own routes; for a Service, the Service and the
 * route objects naming it; for a workload, the Services whose selector matches its template before or after (no
 * route rule reads pods, so a workload change re-runs none: the Service findings name the routes); for a Gateway, the
 * routes whose parentRefs name it; for a ReferenceGrant, the routes of other namespaces that refer into its namespace.
 *
 * @param changed  the object under review
 * @param routes   route objects (Ingresses, HTTPRoutes, GRPCRoutes) whose rules run
 * @param services Services whose rules run
 * @param involved a finding on a route object reached through the change (not the changed object itself) is this
 *                 change's business only when it involves one of these: the changed Service, Gateway or the Services
 *                 a changed grant governs
 */
public record Scope(ObjectRef changed, Set<ObjectRef> routes, Set<ObjectRef> services, Set<ObjectRef> involved) {

    public static Scope of(ObjectRef changed, HasMetadata oldObject, HasMetadata newObject, ClusterView before,
                           ClusterView after) {
        var routes = new LinkedHashSet<ObjectRef>();
        var services = new LinkedHashSet<ObjectRef>();
        var involved = new LinkedHashSet<ObjectRef>();
        if (RouteBackends.holdsRoutes(changed.kind())) {
            routes.add(changed);
        } else if (changed.kind().equals("Service")) {
            services.add(changed);
            before.backendsNaming(changed.namespace(), changed.name()).stream().map(Backend::route).forEach(routes::add);
            after.backendsNaming(changed.namespace(), changed.name()).stream().map(Backend::route).forEach(routes::add);
        } else if (PodSources.WORKLOAD_KINDS.contains(changed.kind())) {
            addSelecting(services, before, changed.namespace(), oldObject);
            addSelecting(services, before, changed.namespace(), newObject);
        } else if (changed.kind().equals("Gateway")) {
            involved.add(changed);
            before.routesNaming(changed.namespace(), changed.name()).forEach(r -> routes.add(ObjectRef.of(r)));
            after.routesNaming(changed.namespace(), changed.name()).forEach(r -> routes.add(ObjectRef.of(r)));
        } else if (changed.kind().equals(Grant.KIND)) {
            for (var view : new ClusterView[] {before, after}) {
                for (var r : view.routesInto(changed.namespace())) {
                    routes.add(ObjectRef.of(r));
                    GatewayRoute.of(r).serviceBackends().stream().filter(b -> b.namespace().equals(changed.namespace()))
                            .forEach(b -> involved.add(b.target()));
                }
            }
        }
        involved.addAll(services);
        return new Scope(changed, routes, services, involved);
    }

    /** True when a finding on a route object reached through this change is this change's business. */
    public boolean concerns(Finding f) {
        return involved.stream().anyMatch(f::involves);
    }

    private static void addSelecting(Set<ObjectRef> out, ClusterView view, String ns, HasMetadata workload) {
        if (workload == null) {
            return;
        }
        PodSources.template(workload).ifPresent(t -> {
            var labels = t.getMetadata() == null ? null : t.getMetadata().getLabels();
            Workloads.servicesSelecting(ns, labels, view).forEach(svc -> out.add(ObjectRef.of(svc)));
        });
    }
}
