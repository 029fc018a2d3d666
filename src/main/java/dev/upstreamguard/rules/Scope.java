package dev.upstreamguard.rules;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.upstreamguard.cluster.Backend;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.cluster.PodSources;
import dev.upstreamguard.cluster.RouteBackends;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What a change touches, found through indexes: a route object's own routes; for a Service, the Service and the
 * route objects naming it; for a workload, the Services whose selector matches its template before or after (no
 * route rule reads pods, so a workload change re-runs none: the Service findings name the routes).
 *
 * @param changed  the object under review
 * @param routes   route objects (Ingresses ...) whose rules run
 * @param services Services whose rules run
 */
public record Scope(ObjectRef changed, Set<ObjectRef> routes, Set<ObjectRef> services) {

    public static Scope of(ObjectRef changed, HasMetadata oldObject, HasMetadata newObject, ClusterView before,
                           ClusterView after) {
        var routes = new LinkedHashSet<ObjectRef>();
        var services = new LinkedHashSet<ObjectRef>();
        if (RouteBackends.holdsRoutes(changed.kind())) {
            routes.add(changed);
        } else if (changed.kind().equals("Service")) {
            services.add(changed);
            before.backendsNaming(changed.namespace(), changed.name()).stream().map(Backend::route).forEach(routes::add);
            after.backendsNaming(changed.namespace(), changed.name()).stream().map(Backend::route).forEach(routes::add);
        } else if (PodSources.WORKLOAD_KINDS.contains(changed.kind())) {
            addSelecting(services, before, changed.namespace(), oldObject);
            addSelecting(services, before, changed.namespace(), newObject);
        }
        return new Scope(changed, routes, services);
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
