package dev.upstreamguard.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.upstreamguard.gateway.Grant;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;

/**
 * The view a denial is confirmed on: in the namespaces read fresh from the API server, the fresh objects; everywhere
 * else, and for cluster-scoped state (namespaces, IngressClasses), the cache. Routes into a fresh namespace from
 * other namespaces (Gateway API) still come from the cache.
 */
public final class ConfirmedView implements ClusterView {
    private final ClusterView cache;
    private final ClusterView fresh;
    private final Set<String> namespaces;

    /** @param fresh holds what was read in {@code namespaces}, and nothing else */
    public ConfirmedView(ClusterView cache, ClusterView fresh, Set<String> namespaces) {
        this.cache = cache;
        this.fresh = fresh;
        this.namespaces = Set.copyOf(namespaces);
    }

    private ClusterView in(String namespace) {
        return namespaces.contains(namespace) ? fresh : cache;
    }

    @Override
    public boolean synced() {
        return true;
    }

    @Override
    public Optional<Service> service(String namespace, String name) {
        return in(namespace).service(namespace, name);
    }

    @Override
    public List<Service> servicesIn(String namespace) {
        return in(namespace).servicesIn(namespace);
    }

    @Override
    public List<Service> servicesSelecting(String namespace, Map<String, String> labels) {
        return in(namespace).servicesSelecting(namespace, labels);
    }

    @Override
    public Optional<Ingress> ingress(String namespace, String name) {
        return in(namespace).ingress(namespace, name);
    }

    @Override
    public List<Backend> backendsNaming(String namespace, String service) {
        if (!namespaces.contains(namespace)) {
            return cache.backendsNaming(namespace, service);
        }
        var out = new ArrayList<>(fresh.backendsNaming(namespace, service));
        for (var b : cache.backendsNaming(namespace, service)) {
            if (!namespaces.contains(b.route().namespace())) {
                out.add(b); // a route from a namespace that was not read
            }
        }
        return out;
    }

    @Override
    public List<PodSource> podSourcesSelectedBy(String namespace, Map<String, String> selector) {
        return in(namespace).podSourcesSelectedBy(namespace, selector);
    }

    @Override
    public Optional<NamespaceState> namespace(String name) {
        return cache.namespace(name);
    }

    @Override
    public Optional<HasMetadata> workload(String kind, String namespace, String name) {
        return in(namespace).workload(kind, namespace, name);
    }

    @Override
    public Set<String> podControllerUids(HasMetadata workload) {
        return in(workload.getMetadata().getNamespace()).podControllerUids(workload);
    }

    @Override
    public boolean hasEndpointSlices(String namespace, String service) {
        return cache.hasEndpointSlices(namespace, service);
    }

    @Override
    public List<IngressClass> ingressClasses() {
        return cache.ingressClasses();
    }

    @Override
    public List<Ingress> ingressesClaimingHost(String host) {
        return cache.ingressesClaimingHost(host);
    }

    @Override
    public <T> T consistent(java.util.function.Supplier<T> work) {
        return cache.consistent(work);
    }

    @Override
    public Optional<HasMetadata> gatewayApiObject(String kind, String namespace, String name) {
        return in(namespace).gatewayApiObject(kind, namespace, name);
    }

    @Override
    public List<HasMetadata> routesNaming(String gatewayNamespace, String gateway) {
        return merged(fresh.routesNaming(gatewayNamespace, gateway), cache.routesNaming(gatewayNamespace, gateway));
    }

    @Override
    public List<HasMetadata> routesInto(String namespace) {
        return merged(fresh.routesInto(namespace), cache.routesInto(namespace));
    }

    /** Routes read fresh, and the cache's routes from namespaces that were not read. */
    private List<HasMetadata> merged(List<HasMetadata> fromFresh, List<HasMetadata> fromCache) {
        var out = new ArrayList<>(fromFresh);
        for (var r : fromCache) {
            if (!namespaces.contains(r.getMetadata().getNamespace())) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public List<Grant> referenceGrants(String namespace) {
        return in(namespace).referenceGrants(namespace);
    }
}
