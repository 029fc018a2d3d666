package dev.upstreamguard.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;

/**
 * Feeds a {@link ClusterIndex} from fabric8 informers over every kind the rules read, in all namespaces. Informers
 * retry forever (an informer stops for good after its first failure unless told otherwise). Every informer keeps only
 * keys and resource versions in its own store; the index holds the reduced records.
 *
 * <p>Once a kind has listed, it counts as synced for good: watches drop and reconnect routinely and readiness must not
 * flap on that. Instead a watchdog measures, per kind, how long its informer has not been watching
 * ({@link #stalenessSeconds()}), and restarts an informer that stopped for good, from the state it had, so deletions
 * missed meanwhile still reach the index.
 *
 * <p>The Gateway API kinds are optional: most clusters do not serve them. The watchdog asks the API server's discovery
 * every {@link #DISCOVERY_EVERY} and starts their informers once they are served; from then on readiness waits for
 * them too. A cluster without them is never an error.
 */
public final class InformerFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InformerFeed.class);
    /** The core kinds watched, in the order they are started. */
    public static final List<Class<? extends HasMetadata>> KINDS = List.of(Namespace.class, IngressClass.class,
            Service.class, Ingress.class, Deployment.class, StatefulSet.class, DaemonSet.class, ReplicaSet.class,
            ReplicationController.class, EndpointSlice.class, Pod.class);
    /** The Gateway API kinds, watched where the API server serves them. */
    public static final List<String> GATEWAY_API_KINDS = List.of("Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant");
    /**
     * The kinds only the audit reads (ready endpoints). Readiness does not wait for them and a lagging watch on them
     * never turns a denial into a warning: it degrades the audit only, which says so.
     */
    public static final Set<String> AUDIT_ONLY = Set.of("EndpointSlice");
    /** How often the API server is asked whether it serves the Gateway API, until it does, by default. */
    static final Duration DISCOVERY_EVERY = Duration.ofSeconds(30);
    private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

    private final KubernetesClient client;
    private final ClusterIndex index;
    private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers = new ConcurrentHashMap<>();
    /** Kind -> how to start its informer (from a previous informer's state, or null). */
    private final Map<String, Function<List<HasMetadata>, SharedIndexInformer<? extends HasMetadata>>> starters =
            new ConcurrentHashMap<>();
    private final Map<String, Long> lastEventMillis = new ConcurrentHashMap<>();
    /** Kinds that have listed at least once (latched: a restarted informer relisting does not unsync its kind). */
    private final Set<String> syncedOnce = ConcurrentHashMap.newKeySet();
    /**
     * Kind -> objects added to the index less objects removed from it. An informer has synced once its store holds
     * the first list, but its handler gets the adds later, one by one: the kind is synced when the index has them too.
     */
    private final Map<String, AtomicLong> held = new ConcurrentHashMap<>();
    /** Kind -> System.nanoTime() when its informer was first seen not watching, after its first sync. */
    private final Map<String, Long> notWatchingSince = new ConcurrentHashMap<>();
    private final Duration checkEvery;
    private final long applyDelayMillis;
    private volatile Duration discoveryEvery = DISCOVERY_EVERY;
    /** Delivers index writes late, in order, when an apply delay is rehearsed. */
    private final ScheduledExecutorService lag;
    private ScheduledExecutorService watchdog;
    private volatile long nextDiscoveryNanos;
    private volatile boolean gatewayApiAnnounced;
    private volatile boolean closed;

    public InformerFeed(KubernetesClient client, ClusterIndex index) {
        this(client, index, Duration.ofSeconds(1));
    }

    /** @param checkEvery how often the watchdog looks at the informers: the resolution of the staleness measure */
    public InformerFeed(KubernetesClient client, ClusterIndex index, Duration checkEvery) {
        this(client, index, checkEvery, Duration.ZERO);
    }

    /**
     * @param applyDelay rehearsal only: every watch event reaches the index this much later (0: as it arrives), the
     *                   way a busy API server's watch lags
     */
    public InformerFeed(KubernetesClient client, ClusterIndex index, Duration checkEvery, Duration applyDelay) {
        this.client = client;
        this.index = index;
        this.checkEvery = checkEvery;
        this.applyDelayMillis = applyDelay.toMillis();
        this.lag = applyDelayMillis <= 0 ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "upstream-guard-apply-delay");
            t.setDaemon(true);
            return t;
        });
        index.syncedWhen(this::synced);
    }

    /** Asks the API server whether it serves the Gateway API this often (until it does). */
    public InformerFeed discoveringEvery(Duration every) {
        this.discoveryEvery = every;
        return this;
    }

    /** Applies one watch event to the index, now or (rehearsal) after the apply delay, in arrival order. */
    private void apply(Runnable write) {
        if (lag == null) {
            write.run();
        } else {
            lag.schedule(write, applyDelayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Starts every informer without waiting for its first list; {@link #synced()} tells when all have listed. */
    public void start() {
        for (var kind : KINDS) {
            watch(kind.getSimpleName(), state -> typed(kind, state));
        }
        LOG.infof("Watching %d kinds in all namespaces: %s", KINDS.size(), informers.keySet());
        discoverGatewayApi();
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "upstream-guard-informer-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::check, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void watch(String name, Function<List<HasMetadata>, SharedIndexInformer<? extends HasMetadata>> starter) {
        starters.put(name, starter);
        informers.put(name, starter.apply(null));
    }

    /**
     * Starts the informers of the Gateway API kinds the API server serves and that are not watched yet; logs once when
     * it serves none. ReferenceGrant is read as v1beta1 where served (the model fabric8 has), else as v1.
     */
    void discoverGatewayApi() {
        nextDiscoveryNanos = System.nanoTime() + discoveryEvery.toNanos();
        if (closed || informers.keySet().containsAll(GATEWAY_API_KINDS)) {
            return;
        }
        var v1 = served(GATEWAY_GROUP + "/v1");
        var v1beta1 = served(GATEWAY_GROUP + "/v1beta1");
        var started = new ArrayList<String>();
        startIfServed(v1, "gateways", "Gateway", state -> typed(Gateway.class, state), started);
        startIfServed(v1, "httproutes", "HTTPRoute", state -> typed(HTTPRoute.class, state), started);
        startIfServed(v1, "grpcroutes", "GRPCRoute", state -> typed(GRPCRoute.class, state), started);
        if (v1beta1.contains("referencegrants")) {
            startIfServed(v1beta1, "referencegrants", "ReferenceGrant", state -> typed(ReferenceGrant.class, state),
                    started);
        } else {
            startIfServed(v1, "referencegrants", "ReferenceGrant", this::genericReferenceGrants, started);
        }
        if (!started.isEmpty()) {
            LOG.infof("Gateway API served: watching %s", started);
        } else if (!gatewayApiAnnounced && !informers.keySet().containsAll(GATEWAY_API_KINDS)) {
            LOG.infof("Gateway API (%s) not served by the API server: judging Ingress routes only; checking again "
                    + "every %d s", GATEWAY_GROUP, discoveryEvery.toSeconds());
        }
        gatewayApiAnnounced = true;
    }

    private void startIfServed(Set<String> served, String resource, String name,
                               Function<List<HasMetadata>, SharedIndexInformer<? extends HasMetadata>> starter,
                               List<String> started) {
        if (served.contains(resource) && !informers.containsKey(name)) {
            watch(name, starter);
            started.add(name);
        }
    }

    /** The resources the API server serves in a group version; empty when it serves none (or cannot say). */
    private Set<String> served(String groupVersion) {
        try {
            var list = client.getApiResources(groupVersion);
            if (list == null || list.getResources() == null) {
                return Set.of();
            }
            var out = new java.util.HashSet<String>();
            list.getResources().forEach(r -> out.add(r.getName()));
            return out;
        } catch (RuntimeException e) {
            LOG.debugf("Discovery of %s failed: %s", groupVersion, e.toString());
            return Set.of();
        }
    }

    /**
     * One watchdog round: look for the Gateway API when it is due, note which informers are not watching, restart those
     * that stopped. Never throws, not even an Error: a scheduled task that throws is cancelled for good, and the
     * watchdog must outlive any one bad round.
     */
    void check() {
        try {
            if (System.nanoTime() - nextDiscoveryNanos >= 0) {
                discoverGatewayApi();
            }
        } catch (Throwable e) {
            LOG.warnf(e, "Gateway API discovery failed; trying again in %d s", discoveryEvery.toSeconds());
        }
        for (var name : new ArrayList<>(informers.keySet())) {
            try {
                check(name);
            } catch (Throwable e) {
                LOG.warnf(e, "Informer watchdog failed on %s; it keeps watching", name);
            }
        }
    }

    private void check(String name) {
        var informer = informers.get(name);
        if (informer == null || closed) {
            return;
        }
        if (!syncedOnce(name)) {
            return; // still listing for the first time: not ready, not stale
        }
        if (informer.isWatching()) {
            notWatchingSince.remove(name);
            return;
        }
        notWatchingSince.putIfAbsent(name, System.nanoTime());
        if (informer.stopped().toCompletableFuture().isDone() || (informer.hasSynced() && !informer.isRunning())) {
            restart(name);
        }
    }

    /** Replaces a stopped informer by a new one that starts from the old one's state: missed deletions still arrive. */
    @SuppressWarnings("unchecked")
    private synchronized void restart(String name) {
        var old = informers.get(name);
        if (closed || old == null || !old.stopped().toCompletableFuture().isDone() && old.isRunning()) {
            return;
        }
        var state = (List<HasMetadata>) (List<?>) old.getStore().list();
        old.close();
        LOG.warnf("Informer for %s stopped (%s); restarting it from its %d cached objects", name,
                old.stopped().toCompletableFuture().isCompletedExceptionally() ? "failed" : "closed", state.size());
        informers.put(name, starters.get(name).apply(state));
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> SharedIndexInformer<T> typed(Class<T> kind, List<HasMetadata> initialState) {
        var informer = client.resources(kind).inAnyNamespace().runnableInformer(0);
        return started(kind.getSimpleName(), kind, informer, (List<T>) (List<?>) initialState);
    }

    @SuppressWarnings("unchecked")
    private SharedIndexInformer<GenericKubernetesResource> genericReferenceGrants(List<HasMetadata> initialState) {
        var context = new ResourceDefinitionContext.Builder().withGroup(GATEWAY_GROUP).withVersion("v1")
                .withKind("ReferenceGrant").withPlural("referencegrants").withNamespaced(true).build();
        var informer = client.genericKubernetesResources(context).inAnyNamespace().runnableInformer(0);
        return started("ReferenceGrant", GenericKubernetesResource.class, informer,
                (List<GenericKubernetesResource>) (List<?>) initialState);
    }

    private <T extends HasMetadata> SharedIndexInformer<T> started(String name, Class<T> kind,
                                                                   SharedIndexInformer<T> informer, List<T> initialState) {
        if (initialState != null) {
            informer.initialState(initialState.stream());
        }
        // the informer itself keeps only each object's key and resourceVersion; the index keeps the reduced record
        // nor an index by namespace: nothing reads the informers' stores but a restart's list of keys
        informer.removeNamespaceIndex();
        if (kind != GenericKubernetesResource.class) {
            informer.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, kind,
                    client.getKubernetesSerialization()));
        }
        informer.exceptionHandler((started, t) -> {
            LOG.warnf("Informer for %s failed (%s); retrying", name, t.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                touch(name);
                apply(() -> {
                    try {
                        index.put(obj);
                    } finally {
                        held(name).incrementAndGet(); // handed over, even if the index choked on it
                    }
                });
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                touch(name);
                apply(() -> index.put(newObj));
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                touch(name);
                apply(() -> {
                    try {
                        index.remove(obj);
                    } finally {
                        held(name).decrementAndGet();
                    }
                });
            }
        });
        informer.start().whenComplete((v, t) -> {
            if (t == null) {
                LOG.debugf("Informer for %s listed", name);
            }
        });
        return informer;
    }

    private AtomicLong held(String kind) {
        return held.computeIfAbsent(kind, k -> new AtomicLong());
    }

    private void touch(String kind) {
        lastEventMillis.put(kind, System.currentTimeMillis());
    }

    /** Seconds since each kind's informer delivered its last event (add, update or delete); absent before the first. */
    public Map<String, Double> lastEventAgeSeconds() {
        var now = System.currentTimeMillis();
        var out = new java.util.TreeMap<String, Double>();
        lastEventMillis.forEach((kind, at) -> out.put(kind, (now - at) / 1000.0));
        return out;
    }

    /** Every kind watched now, core kinds first. */
    List<String> watched() {
        var out = new ArrayList<String>();
        KINDS.forEach(k -> out.add(k.getSimpleName()));
        GATEWAY_API_KINDS.stream().filter(informers::containsKey).forEach(out::add);
        return out;
    }

    /** True when the Gateway API's kinds are watched (the API server serves them). */
    public boolean gatewayApiWatched() {
        return GATEWAY_API_KINDS.stream().anyMatch(informers::containsKey);
    }

    /**
     * True once every informer the request path reads has listed its kind at least once; stays true when watches
     * drop. The audit-only kinds are not waited for; Gateway API kinds once they are watched.
     */
    public boolean synced() {
        return unsynced().isEmpty();
    }

    /** The request-path kinds not synced yet, for the readiness check. */
    public List<String> unsynced() {
        var out = new ArrayList<String>();
        for (var name : watched()) {
            if (!AUDIT_ONLY.contains(name) && !syncedOnce(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /** The audit-only kinds not synced yet: the audit's runtime facts are incomplete until they are. */
    public List<String> auditOnlyUnsynced() {
        var out = new ArrayList<String>();
        for (var name : watched()) {
            if (AUDIT_ONLY.contains(name) && !syncedOnce(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private boolean syncedOnce(String name) {
        if (syncedOnce.contains(name)) {
            return true;
        }
        var informer = informers.get(name);
        if (informer != null && informer.hasSynced() && held(name).get() >= informer.getStore().listKeys().size()) {
            if (syncedOnce.add(name)) {
                LOG.infof("Informer for %s synced: %d objects in the view", name, held(name).get());
            }
            return true;
        }
        return false;
    }

    /**
     * How long the informer of each kind has not been watching (zero while it watches, or before its first sync), in
     * the order of {@link #watched()}. Resolution: the watchdog period.
     */
    public Map<String, Duration> notWatchingFor() {
        long now = System.nanoTime();
        var out = new LinkedHashMap<String, Duration>();
        for (var name : watched()) {
            var since = notWatchingSince.get(name);
            out.put(name, since == null ? Duration.ZERO : Duration.ofNanos(now - since));
        }
        return out;
    }

    /**
     * The longest any informer the request path reads has not been watching, in whole seconds: how far the view
     * denials rest on may lag the cluster.
     */
    public long stalenessSeconds() {
        return notWatchingFor().entrySet().stream().filter(e -> !AUDIT_ONLY.contains(e.getKey()))
                .mapToLong(e -> e.getValue().toSeconds()).max().orElse(0);
    }

    /** The informer currently feeding a kind (for tests: stop it, look at it). */
    SharedIndexInformer<? extends HasMetadata> informer(String kind) {
        return informers.get(kind);
    }

    @Override
    public void close() {
        closed = true;
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        if (lag != null) {
            lag.shutdownNow();
        }
        informers.values().forEach(SharedIndexInformer::close);
    }
}
