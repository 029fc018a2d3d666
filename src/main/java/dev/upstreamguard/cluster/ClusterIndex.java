package dev.upstreamguard.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.upstreamguard.gateway.GatewayRoute;
import dev.upstreamguard.gateway.Grant;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;

/**
 * The indexed state behind the live and the manifest views: objects go in through {@link #put} and {@link #remove}
 * (from informer events or from files), queries are lookups in indexes kept up to date on every change. Live pods are
 * held only as reduced {@link PodSource} records.
 *
 * <p>Thread-safe. Every write takes the write lock, so an object's entries in several indexes change together and no
 * update is lost between informer threads; {@link #consistent} holds the read lock, so one review sees one state. A
 * query sees the cluster as the informers last reported it, which may lag the API server by the watch events still
 * in flight: denials are confirmed on a fresh read before they are given.
 */
public final class ClusterIndex implements ClusterView {
    private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Service> services = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Service>> servicesByNamespace = new ConcurrentHashMap<>();
    /** "ns\0key=value" -> names of Services whose selector holds that pair, each Service under one of its pairs. */
    private final Map<String, Set<String>> servicesBySelectorPair = new ConcurrentHashMap<>();
    private final Map<String, Ingress> ingresses = new ConcurrentHashMap<>();
    /** "ns/service" -> route object ("Kind ns/name") -> the routes of that object naming the Service. */
    private final Map<String, Map<String, List<Backend>>> backendsByService = new ConcurrentHashMap<>();
    /** host ("*" for none) -> "ns/name" keys of the Ingresses with paths on it. */
    private final Map<String, Set<String>> ingressKeysByHost = new ConcurrentHashMap<>();
    private final Map<String, IngressClass> ingressClasses = new ConcurrentHashMap<>();
    private final Map<String, NamespaceState> namespaces = new ConcurrentHashMap<>();
    /** "Kind/ns/name" -> workload. */
    private final Map<String, HasMetadata> workloads = new ConcurrentHashMap<>();
    /** owner uid -> uids of the ReplicaSets it controls. */
    private final Map<String, Set<String>> replicaSetsByOwner = new ConcurrentHashMap<>();
    /**
     * "ns/name" -> a ReplicaSet a Deployment controls: only its uid and its owner's are kept (up to ten per Deployment
     * with the default revision history, each with a whole pod template, and none of them a pod source of its own).
     */
    private final Map<String, OwnedReplicaSet> ownedReplicaSets = new ConcurrentHashMap<>();
    /** "ns/slice" -> the Service an EndpointSlice belongs to, so its deletion (the key alone) finds its count. */
    private final Map<String, String> sliceServices = new ConcurrentHashMap<>();
    /** "Kind/ns/name" -> pod source (a running template, or a live pod). */
    private final Map<String, PodSource> podSources = new ConcurrentHashMap<>();
    /** "ns\0key=value" -> keys of pod sources carrying that label. */
    private final Map<String, Set<String>> podSourcesByLabel = new ConcurrentHashMap<>();
    /** "ns/service" -> EndpointSlice name -> its ready endpoints. */
    private final Map<String, Map<String, Integer>> endpointSlices = new ConcurrentHashMap<>();
    private final AtomicInteger livePods = new AtomicInteger();
    /** "Kind/ns/name" -> an HTTPRoute, GRPCRoute, Gateway or ReferenceGrant. */
    private final Map<String, HasMetadata> gatewayApi = new ConcurrentHashMap<>();
    /** "ns/gateway" -> "Kind/ns/name" keys of the routes whose parentRefs name it. */
    private final Map<String, Set<String>> routesByParent = new ConcurrentHashMap<>();
    /** namespace -> "Kind/ns/name" keys of routes of other namespaces with a backendRef into it. */
    private final Map<String, Set<String>> routesByTargetNamespace = new ConcurrentHashMap<>();
    /** namespace -> grant name -> the grant. */
    private final Map<String, Map<String, Grant>> grants = new ConcurrentHashMap<>();

    /** What is kept of a ReplicaSet a counted workload controls. */
    private record OwnedReplicaSet(String uid, String ownerUid) {
    }
    private volatile BooleanSupplier synced = () -> true;

    public void syncedWhen(BooleanSupplier condition) {
        this.synced = condition;
    }

    @Override
    public boolean synced() {
        return synced.getAsBoolean();
    }

    @Override
    public <T> T consistent(Supplier<T> work) {
        var read = lock.readLock();
        read.lock();
        try {
            return work.get();
        } finally {
            read.unlock();
        }
    }

    // ---- writes -------------------------------------------------------------------------------------------------

    /** Adds or replaces an object of any kind the guard reads; other kinds are ignored. */
    public void put(HasMetadata object) {
        var write = lock.writeLock();
        write.lock();
        try {
            if (object instanceof Service s) {
                putService((Service) Slim.of(s));
            } else if (object instanceof Ingress i) {
                putIngress((Ingress) Slim.of(i));
            } else if (object instanceof Pod p) {
                putPod(p);
            } else if (object instanceof Namespace n) {
                namespaces.put(n.getMetadata().getName(), NamespaceState.of(n));
            } else if (object instanceof IngressClass c) {
                ingressClasses.put(c.getMetadata().getName(), c);
            } else if (object instanceof EndpointSlice e) {
                putEndpointSlice(e);
            } else if (PodSources.WORKLOAD_KINDS.contains(object.getKind())) {
                putWorkload(object);
            } else if (GatewayApi.judged(object)) {
                putGatewayApi(object);
            }
        } finally {
            write.unlock();
        }
    }

    /** Removes an object; removing what is not there is a no-op. */
    public void remove(HasMetadata object) {
        var write = lock.writeLock();
        write.lock();
        try {
            var meta = object.getMetadata();
            var key = meta.getNamespace() + "/" + meta.getName();
            if (object instanceof Service) {
                removeService(meta.getNamespace(), meta.getName());
            } else if (object instanceof Ingress) {
                var old = ingresses.remove(key);
                if (old != null) {
                    unindexIngress(key, old);
                }
            } else if (object instanceof Pod) {
                removeSource("Pod/" + key);
            } else if (object instanceof Namespace) {
                namespaces.remove(meta.getName());
            } else if (object instanceof IngressClass) {
                ingressClasses.remove(meta.getName());
            } else if (object instanceof EndpointSlice) {
                var svc = sliceServices.remove(key);
                if (svc != null) {
                    removeInner(endpointSlices, meta.getNamespace() + "/" + svc, meta.getName());
                }
            } else if (PodSources.WORKLOAD_KINDS.contains(object.getKind())) {
                removeWorkload(object.getKind(), key);
            } else if (GatewayApi.KINDS.contains(object.getKind())) {
                removeGatewayApi(object.getKind(), meta.getNamespace(), meta.getName());
            }
        } finally {
            write.unlock();
        }
    }

    private void putService(Service s) {
        var meta = s.getMetadata();
        var ns = meta.getNamespace();
        var old = services.put(ns + "/" + meta.getName(), s);
        if (old != null) {
            unindexSelector(old);
        }
        servicesByNamespace.computeIfAbsent(ns, k -> new ConcurrentHashMap<>()).put(meta.getName(), s);
        var selector = s.getSpec() == null ? null : s.getSpec().getSelector();
        if (selector != null && !selector.isEmpty()) {
            servicesBySelectorPair.computeIfAbsent(rarestPair(ns, selector), x -> ConcurrentHashMap.newKeySet())
                    .add(meta.getName());
        }
    }

    /**
     * The one selector pair a Service is indexed under: the one fewest Services are indexed under so far. A Service
     * selects pods only when every pair of its selector is among their labels, so one pair is enough to find it, and
     * the rarest keeps a pair that every selector of the namespace holds (kustomize's commonLabels, a part-of label)
     * from turning each look-up into a walk over the whole namespace.
     */
    private String rarestPair(String ns, Map<String, String> selector) {
        String best = null;
        int fewest = Integer.MAX_VALUE;
        for (var e : selector.entrySet()) {
            var key = labelKey(ns, e.getKey(), e.getValue());
            var indexed = servicesBySelectorPair.get(key);
            int n = indexed == null ? 0 : indexed.size();
            if (n < fewest) {
                best = key;
                fewest = n;
            }
        }
        return best;
    }

    private void removeService(String ns, String name) {
        var old = services.remove(ns + "/" + name);
        if (old != null) {
            unindexSelector(old);
        }
        removeInner(servicesByNamespace, ns, name);
    }

    private void unindexSelector(Service old) {
        var selector = old.getSpec() == null ? null : old.getSpec().getSelector();
        if (selector == null) {
            return;
        }
        var ns = old.getMetadata().getNamespace();
        // under whichever of its pairs it was indexed
        selector.forEach((k, v) -> removeFromSet(servicesBySelectorPair, labelKey(ns, k, v), old.getMetadata().getName()));
    }

    private void putIngress(Ingress ingress) {
        var meta = ingress.getMetadata();
        var key = meta.getNamespace() + "/" + meta.getName();
        var old = ingresses.put(key, ingress);
        if (old != null) {
            unindexIngress(key, old);
        }
        for (var host : IngressHosts.of(ingress)) {
            ingressKeysByHost.computeIfAbsent(host, k -> ConcurrentHashMap.newKeySet()).add(key);
        }
        indexRoutes(ObjectRef.of(ingress), IngressBackends.of(ingress));
    }

    private void unindexIngress(String key, Ingress old) {
        unindexRoutes(ObjectRef.of(old), IngressBackends.of(old));
        for (var host : IngressHosts.of(old)) {
            removeFromSet(ingressKeysByHost, host, key);
        }
    }

    /** Indexes the routes of one route object under the Services they name. */
    private void indexRoutes(ObjectRef owner, List<Backend> routes) {
        var byService = new HashMap<String, List<Backend>>();
        for (var b : routes) {
            byService.computeIfAbsent(b.service().namespace() + "/" + b.service().name(), k -> new ArrayList<>()).add(b);
        }
        byService.forEach((svc, list) -> backendsByService.computeIfAbsent(svc, k -> new ConcurrentHashMap<>())
                .put(owner.toString(), List.copyOf(list)));
    }

    private void unindexRoutes(ObjectRef owner, List<Backend> routes) {
        for (var b : routes) {
            removeInner(backendsByService, b.service().namespace() + "/" + b.service().name(), owner.toString());
        }
    }

    private void putGatewayApi(HasMetadata object) {
        var meta = object.getMetadata();
        removeGatewayApi(object.getKind(), meta.getNamespace(), meta.getName());
        var key = object.getKind() + "/" + meta.getNamespace() + "/" + meta.getName();
        gatewayApi.put(key, object);
        if (Grant.isGrant(object)) {
            grants.computeIfAbsent(meta.getNamespace(), k -> new ConcurrentHashMap<>()).put(meta.getName(),
                    Grant.of(object));
        } else if (GatewayRoute.isRoute(object)) {
            var route = GatewayRoute.of(object);
            indexRoutes(route.ref(), RouteBackends.of(object));
            for (var parent : route.gatewayParents()) {
                routesByParent.computeIfAbsent(parent.namespace() + "/" + parent.name(),
                        k -> ConcurrentHashMap.newKeySet()).add(key);
            }
            for (var b : route.serviceBackends()) {
                if (b.crossNamespace()) {
                    routesByTargetNamespace.computeIfAbsent(b.namespace(), k -> ConcurrentHashMap.newKeySet()).add(key);
                }
            }
        }
    }

    private void removeGatewayApi(String kind, String ns, String name) {
        var key = kind + "/" + ns + "/" + name;
        var old = gatewayApi.remove(key);
        if (old == null) {
            return;
        }
        if (Grant.isGrant(old)) {
            removeInner(grants, ns, name);
        } else if (GatewayRoute.isRoute(old)) {
            var route = GatewayRoute.of(old);
            unindexRoutes(route.ref(), RouteBackends.of(old));
            for (var parent : route.gatewayParents()) {
                removeFromSet(routesByParent, parent.namespace() + "/" + parent.name(), key);
            }
            for (var b : route.serviceBackends()) {
                removeFromSet(routesByTargetNamespace, b.namespace(), key);
            }
        }
    }

    private void putPod(Pod pod) {
        var key = "Pod/" + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        var phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            removeSource(key); // a finished pod serves nothing
            return;
        }
        putSource(key, PodSources.ofPod(pod));
    }

    private void putWorkload(HasMetadata workload) {
        var meta = workload.getMetadata();
        var key = meta.getNamespace() + "/" + meta.getName();
        removeWorkload(workload.getKind(), key); // it may have changed form (a ReplicaSet orphaned or adopted)
        if ("ReplicaSet".equals(workload.getKind()) && PodSources.controlledByCountedWorkload(workload)) {
            var owner = meta.getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController()))
                    .findFirst().orElseThrow();
            var uid = Slim.shared(meta.getUid());
            var ownerUid = Slim.shared(owner.getUid());
            ownedReplicaSets.put(key, new OwnedReplicaSet(uid, ownerUid));
            replicaSetsByOwner.computeIfAbsent(ownerUid, k -> ConcurrentHashMap.newKeySet()).add(uid);
            return;
        }
        var slim = Slim.of(workload);
        workloads.put(workload.getKind() + "/" + key, slim);
        if ("ReplicaSet".equals(workload.getKind()) && meta.getOwnerReferences() != null) {
            meta.getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController())).forEach(o ->
                    replicaSetsByOwner.computeIfAbsent(o.getUid(), k -> ConcurrentHashMap.newKeySet()).add(meta.getUid()));
        }
        PodSources.ofWorkload(slim).ifPresentOrElse(s -> putSource(workload.getKind() + "/" + key, s),
                () -> removeSource(workload.getKind() + "/" + key));
    }

    /** Forgets a workload by kind and "ns/name", in whichever form it is held. */
    private void removeWorkload(String kind, String key) {
        var old = workloads.remove(kind + "/" + key);
        if (old != null) {
            forgetOwnedReplicaSet(old);
        }
        removeSource(kind + "/" + key);
        if ("ReplicaSet".equals(kind)) {
            var owned = ownedReplicaSets.remove(key);
            if (owned != null) {
                removeFromSet(replicaSetsByOwner, owned.ownerUid(), owned.uid());
            }
        }
    }

    private void forgetOwnedReplicaSet(HasMetadata old) {
        if (!"ReplicaSet".equals(old.getKind()) || old.getMetadata().getOwnerReferences() == null) {
            return;
        }
        for (var o : old.getMetadata().getOwnerReferences()) {
            removeFromSet(replicaSetsByOwner, o.getUid(), old.getMetadata().getUid());
        }
    }

    private void putEndpointSlice(EndpointSlice slice) {
        var labels = slice.getMetadata().getLabels();
        var svc = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        if (svc == null) {
            return;
        }
        int ready = 0;
        if (slice.getEndpoints() != null) {
            for (var e : slice.getEndpoints()) {
                // the API's rule: a nil ready condition means ready
                if (e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady())) {
                    ready++;
                }
            }
        }
        var ns = slice.getMetadata().getNamespace();
        var sliceKey = ns + "/" + slice.getMetadata().getName();
        var before = sliceServices.put(sliceKey, svc);
        if (before != null && !before.equals(svc)) {
            removeInner(endpointSlices, ns + "/" + before, slice.getMetadata().getName());
        }
        endpointSlices.computeIfAbsent(ns + "/" + svc, k -> new ConcurrentHashMap<>())
                .put(slice.getMetadata().getName(), ready);
    }

    private void putSource(String key, PodSource fresh) {
        var source = Shapes.of(fresh);
        var old = podSources.put(key, source);
        if (old == null) {
            if (source.isLivePod()) {
                livePods.incrementAndGet();
            }
        } else if (old.labels().equals(source.labels()) && old.ref().namespace().equals(source.ref().namespace())) {
            return; // most updates (pod status, a new image) leave the labels alone: the label index stays as it is
        } else {
            unindexLabels(key, old);
        }
        for (var e : source.labels().entrySet()) {
            podSourcesByLabel.computeIfAbsent(labelKey(source.ref().namespace(), e.getKey(), e.getValue()),
                    k -> ConcurrentHashMap.newKeySet()).add(key);
        }
    }

    private void removeSource(String key) {
        var old = podSources.remove(key);
        if (old != null) {
            unindexLabels(key, old);
            if (old.isLivePod()) {
                livePods.decrementAndGet();
            }
        }
    }

    private void unindexLabels(String key, PodSource old) {
        for (var e : old.labels().entrySet()) {
            removeFromSet(podSourcesByLabel, labelKey(old.ref().namespace(), e.getKey(), e.getValue()), key);
        }
    }

    /** Removes one member of an indexed set, and the set itself once it is empty: no index keeps empty entries. */
    private static <K, V> void removeFromSet(Map<K, Set<V>> index, K key, V member) {
        var set = index.get(key);
        if (set != null) {
            set.remove(member);
            if (set.isEmpty()) {
                index.remove(key, set);
            }
        }
    }

    /** Removes one entry of an inner map, and the inner map itself once it is empty. */
    private static <K, K2, V> void removeInner(Map<K, Map<K2, V>> index, K key, K2 inner) {
        var map = index.get(key);
        if (map != null) {
            map.remove(inner);
            if (map.isEmpty()) {
                index.remove(key, map);
            }
        }
    }

    private static String labelKey(String namespace, String key, String value) {
        return namespace + '\0' + key + '=' + value;
    }

    // ---- queries ------------------------------------------------------------------------------------------------

    @Override
    public Optional<Service> service(String namespace, String name) {
        return Optional.ofNullable(services.get(namespace + "/" + name));
    }

    @Override
    public List<Service> servicesIn(String namespace) {
        var byNs = servicesByNamespace.get(namespace);
        return byNs == null ? List.of() : List.copyOf(byNs.values());
    }

    @Override
    public List<Service> servicesSelecting(String namespace, Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return List.of();
        }
        Set<String> names = null;
        for (var e : labels.entrySet()) {
            var withPair = servicesBySelectorPair.get(labelKey(namespace, e.getKey(), e.getValue()));
            if (withPair != null) {
                if (names == null) {
                    names = new HashSet<>();
                }
                names.addAll(withPair);
            }
        }
        if (names == null) {
            return List.of();
        }
        var out = new ArrayList<Service>(names.size());
        for (var name : names) {
            var s = services.get(namespace + "/" + name);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public Optional<Ingress> ingress(String namespace, String name) {
        return Optional.ofNullable(ingresses.get(namespace + "/" + name));
    }

    @Override
    public List<Backend> backendsNaming(String namespace, String service) {
        var byOwner = backendsByService.get(namespace + "/" + service);
        if (byOwner == null || byOwner.isEmpty()) {
            return List.of();
        }
        var out = new ArrayList<Backend>();
        byOwner.values().forEach(out::addAll);
        return out;
    }

    @Override
    public List<PodSource> podSourcesSelectedBy(String namespace, Map<String, String> selector) {
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        Set<String> smallest = null;
        for (var e : selector.entrySet()) {
            var keys = podSourcesByLabel.get(labelKey(namespace, e.getKey(), e.getValue()));
            if (keys == null) {
                return List.of();
            }
            if (smallest == null || keys.size() < smallest.size()) {
                smallest = keys;
            }
        }
        var out = new ArrayList<PodSource>();
        for (var key : smallest) {
            var source = podSources.get(key);
            if (source != null && source.matches(selector)) {
                out.add(source);
            }
        }
        return out;
    }

    @Override
    public Optional<NamespaceState> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    @Override
    public Optional<HasMetadata> workload(String kind, String namespace, String name) {
        return Optional.ofNullable(workloads.get(kind + "/" + namespace + "/" + name));
    }

    @Override
    public Set<String> podControllerUids(HasMetadata workload) {
        var uid = workload.getMetadata().getUid();
        if (uid == null) {
            return Set.of();
        }
        var owned = replicaSetsByOwner.get(uid);
        if (owned == null || owned.isEmpty()) {
            return Set.of(uid);
        }
        var out = new HashSet<>(owned);
        out.add(uid);
        return out;
    }

    @Override
    public boolean hasEndpointSlices(String namespace, String service) {
        var slices = endpointSlices.get(namespace + "/" + service);
        return slices != null && !slices.isEmpty();
    }

    /** Ready endpoints of the Service over all its EndpointSlices, or -1 when it has none. */
    public int readyEndpoints(String namespace, String service) {
        var slices = endpointSlices.get(namespace + "/" + service);
        if (slices == null || slices.isEmpty()) {
            return -1;
        }
        return slices.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public Optional<HasMetadata> gatewayApiObject(String kind, String namespace, String name) {
        return Optional.ofNullable(gatewayApi.get(kind + "/" + namespace + "/" + name));
    }

    @Override
    public List<HasMetadata> routesNaming(String gatewayNamespace, String gateway) {
        return lookup(routesByParent.get(gatewayNamespace + "/" + gateway));
    }

    @Override
    public List<HasMetadata> routesInto(String namespace) {
        return lookup(routesByTargetNamespace.get(namespace));
    }

    private List<HasMetadata> lookup(Set<String> keys) {
        if (keys == null || keys.isEmpty()) {
            return List.of();
        }
        var out = new ArrayList<HasMetadata>(keys.size());
        for (var key : keys) {
            var o = gatewayApi.get(key);
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    @Override
    public List<Grant> referenceGrants(String namespace) {
        var byName = grants.get(namespace);
        return byName == null ? List.of() : List.copyOf(byName.values());
    }

    // ---- whole-cluster listings: for the audit only, never on the request path -----------------------------

    /** Every HTTPRoute and GRPCRoute. */
    public List<HasMetadata> allGatewayRoutes() {
        return gatewayApi.values().stream().filter(GatewayRoute::isRoute).toList();
    }

    public List<Ingress> allIngresses() {
        return List.copyOf(ingresses.values());
    }

    public List<Service> allServices() {
        return List.copyOf(services.values());
    }

    public List<HasMetadata> allWorkloads() {
        return List.copyOf(workloads.values());
    }

    @Override
    public List<IngressClass> ingressClasses() {
        return List.copyOf(ingressClasses.values());
    }

    @Override
    public List<Ingress> ingressesClaimingHost(String host) {
        var keys = ingressKeysByHost.get(IngressHosts.hostOf(host));
        if (keys == null || keys.isEmpty()) {
            return List.of();
        }
        var out = new ArrayList<Ingress>(keys.size());
        for (var key : keys) {
            var ingress = ingresses.get(key);
            if (ingress != null) {
                out.add(ingress);
            }
        }
        return out;
    }

    /** How many objects of each kind are held, for logs and metrics; constant time. */
    public Map<String, Integer> counts() {
        return Map.of("Service", services.size(), "Ingress", ingresses.size(), "Namespace", namespaces.size(),
                "IngressClass", ingressClasses.size(), "Workload", workloads.size() + ownedReplicaSets.size(),
                "Pod", livePods.get(), "GatewayAPI", gatewayApi.size());
    }

    /** Entries of the inner indexes, for tests that check nothing is left behind once objects are gone. */
    int indexEntries() {
        return servicesByNamespace.size() + servicesBySelectorPair.size() + backendsByService.size()
                + ingressKeysByHost.size() + replicaSetsByOwner.size() + podSourcesByLabel.size()
                + endpointSlices.size() + ownedReplicaSets.size() + sliceServices.size() + gatewayApi.size()
                + routesByParent.size() + routesByTargetNamespace.size() + grants.size();
    }
}
