package dev.upstreamguard.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.upstreamguard.gateway.GatewayRoute;
import dev.upstreamguard.gateway.Grant;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;

/**
 * The {@code after} view: a base view with one object replaced (CREATE, UPDATE) or removed (DELETE). Nothing is
 * copied; each query asks the base and corrects its answer for the one object. For a workload, the live pods it
 * controls in the base are hidden: the new template replaces them, they will be rolled away.
 */
final class OverlayView implements ClusterView {
    private final ClusterView base;
    private final ObjectRef ref;
    private final HasMetadata replacement;
    private final Set<String> hiddenControllers;

    OverlayView(ClusterView base, ObjectRef ref, HasMetadata replacement) {
        this.base = base;
        this.ref = ref;
        this.replacement = replacement;
        if (PodSources.WORKLOAD_KINDS.contains(ref.kind())) {
            var existing = base.workload(ref.kind(), ref.namespace(), ref.name());
            this.hiddenControllers = existing.map(base::podControllerUids).orElse(Set.of());
        } else {
            this.hiddenControllers = Set.of();
        }
    }

    private boolean is(String kind, String namespace, String name) {
        return ref.kind().equals(kind) && ref.namespace().equals(namespace) && ref.name().equals(name);
    }

    @Override
    public boolean synced() {
        return base.synced();
    }

    @Override
    public Optional<Service> service(String namespace, String name) {
        if (is("Service", namespace, name)) {
            return Optional.ofNullable((Service) replacement);
        }
        return base.service(namespace, name);
    }

    @Override
    public List<Service> servicesIn(String namespace) {
        return correctServices(base.servicesIn(namespace), namespace, s -> true);
    }

    @Override
    public List<Service> servicesSelecting(String namespace, Map<String, String> labels) {
        return correctServices(base.servicesSelecting(namespace, labels), namespace, s -> {
            var selector = s.getSpec() == null ? null : s.getSpec().getSelector();
            return selector != null && labels != null
                    && selector.entrySet().stream().anyMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        });
    }

    /** The base's Services without the replaced one, and with its replacement when it belongs in the list. */
    private List<Service> correctServices(List<Service> list, String namespace,
                                          java.util.function.Predicate<Service> belongs) {
        if (!ref.kind().equals("Service") || !ref.namespace().equals(namespace)) {
            return list;
        }
        var out = new ArrayList<Service>(list.size() + 1);
        for (var s : list) {
            if (!s.getMetadata().getName().equals(ref.name())) {
                out.add(s);
            }
        }
        if (replacement != null && belongs.test((Service) replacement)) {
            out.add((Service) replacement);
        }
        return out;
    }

    @Override
    public Optional<Ingress> ingress(String namespace, String name) {
        if (is("Ingress", namespace, name)) {
            return Optional.ofNullable((Ingress) replacement);
        }
        return base.ingress(namespace, name);
    }

    @Override
    public List<Backend> backendsNaming(String namespace, String service) {
        var list = base.backendsNaming(namespace, service);
        if (!RouteBackends.holdsRoutes(ref.kind())) {
            return list;
        }
        var out = new ArrayList<Backend>(list.size());
        for (var b : list) {
            if (!b.route().equals(ref)) {
                out.add(b);
            }
        }
        if (replacement != null) {
            for (var b : RouteBackends.of(replacement)) {
                if (b.service().namespace().equals(namespace) && b.service().name().equals(service)) {
                    out.add(b);
                }
            }
        }
        return out;
    }

    @Override
    public List<PodSource> podSourcesSelectedBy(String namespace, Map<String, String> selector) {
        var list = base.podSourcesSelectedBy(namespace, selector);
        if (!PodSources.WORKLOAD_KINDS.contains(ref.kind()) || !ref.namespace().equals(namespace)) {
            return list;
        }
        var out = new ArrayList<PodSource>(list.size() + 1);
        for (var s : list) {
            boolean replaced = s.ref().equals(ref);
            boolean rolledAway = s.isLivePod() && s.controllerUid() != null && hiddenControllers.contains(s.controllerUid());
            if (!replaced && !rolledAway) {
                out.add(s);
            }
        }
        if (replacement != null) {
            PodSources.ofWorkload(replacement).filter(s -> s.matches(selector)).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public Optional<NamespaceState> namespace(String name) {
        return base.namespace(name);
    }

    @Override
    public Optional<HasMetadata> workload(String kind, String namespace, String name) {
        if (is(kind, namespace, name)) {
            return Optional.ofNullable(replacement);
        }
        return base.workload(kind, namespace, name);
    }

    @Override
    public Set<String> podControllerUids(HasMetadata workload) {
        return base.podControllerUids(workload);
    }

    @Override
    public boolean hasEndpointSlices(String namespace, String service) {
        return base.hasEndpointSlices(namespace, service);
    }

    @Override
    public List<IngressClass> ingressClasses() {
        return base.ingressClasses();
    }

    @Override
    public List<Ingress> ingressesClaimingHost(String host) {
        var list = base.ingressesClaimingHost(host);
        if (!ref.kind().equals("Ingress")) {
            return list;
        }
        var out = new ArrayList<Ingress>(list.size() + 1);
        for (var i : list) {
            if (!is("Ingress", i.getMetadata().getNamespace(), i.getMetadata().getName())) {
                out.add(i);
            }
        }
        if (replacement != null && IngressHosts.of((Ingress) replacement).contains(IngressHosts.hostOf(host))) {
            out.add((Ingress) replacement);
        }
        return out;
    }

    @Override
    public Optional<HasMetadata> gatewayApiObject(String kind, String namespace, String name) {
        if (is(kind, namespace, name)) {
            return Optional.ofNullable(replacement);
        }
        return base.gatewayApiObject(kind, namespace, name);
    }

    @Override
    public List<HasMetadata> routesNaming(String gatewayNamespace, String gateway) {
        return correctRoutes(base.routesNaming(gatewayNamespace, gateway), r -> GatewayRoute.of(r).gatewayParents()
                .stream().anyMatch(p -> p.namespace().equals(gatewayNamespace) && p.name().equals(gateway)));
    }

    @Override
    public List<HasMetadata> routesInto(String namespace) {
        return correctRoutes(base.routesInto(namespace), r -> GatewayRoute.of(r).serviceBackends().stream()
                .anyMatch(b -> b.crossNamespace() && b.namespace().equals(namespace)));
    }

    /** The base's routes without the replaced route, and with its replacement when it belongs. */
    private List<HasMetadata> correctRoutes(List<HasMetadata> list, java.util.function.Predicate<HasMetadata> belongs) {
        if (!GatewayRoute.HTTP_ROUTE.equals(ref.kind()) && !GatewayRoute.GRPC_ROUTE.equals(ref.kind())) {
            return list;
        }
        var out = new ArrayList<HasMetadata>(list.size() + 1);
        for (var r : list) {
            if (!ObjectRef.of(r).equals(ref)) {
                out.add(r);
            }
        }
        if (replacement != null && belongs.test(replacement)) {
            out.add(replacement);
        }
        return out;
    }

    @Override
    public List<Grant> referenceGrants(String namespace) {
        var list = base.referenceGrants(namespace);
        if (!Grant.KIND.equals(ref.kind()) || !ref.namespace().equals(namespace)) {
            return list;
        }
        var out = new ArrayList<Grant>(list.size() + 1);
        for (var g : list) {
            if (!g.ref().name().equals(ref.name())) {
                out.add(g);
            }
        }
        if (replacement != null) {
            out.add(Grant.of(replacement));
        }
        return out;
    }
}
