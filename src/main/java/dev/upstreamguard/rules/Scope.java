package dev.upstreamguard.rules;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.upstreamguard.cluster.Backend;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.cluster.PodSources;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What a change touches, found through indexes: an Ingress's own backends; for a Service, the Service and the
 * Ingresses naming it; for a workload, the Services whose selector matches its template before or after, and the
 * Ingresses naming those.
 */
public record Scope(ObjectRef changed, Set<ObjectRef> ingresses, Set<ObjectRef> services) {

    public static Scope of(ObjectRef changed, HasMetadata oldObject, HasMetadata newObject, ClusterView before,
                           ClusterView after) {
        var ingresses = new LinkedHashSet<ObjectRef>();
        var services = new LinkedHashSet<ObjectRef>();
        switch (changed.kind()) {
            case "Ingress" -> ingresses.add(changed);
            case "Service" -> services.add(changed);
            default -> {
                if (PodSources.WORKLOAD_KINDS.contains(changed.kind())) {
                    addSelecting(services, before, changed.namespace(), oldObject);
                    addSelecting(services, before, changed.namespace(), newObject);
                }
            }
        }
        for (var svc : services) {
            before.backendsNaming(svc.namespace(), svc.name()).stream().map(Backend::ingress).forEach(ingresses::add);
            after.backendsNaming(svc.namespace(), svc.name()).stream().map(Backend::ingress).forEach(ingresses::add);
        }
        return new Scope(changed, ingresses, services);
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
