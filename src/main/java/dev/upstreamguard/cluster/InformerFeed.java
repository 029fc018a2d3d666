package dev.upstreamguard.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

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
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;

/**
 * Feeds a {@link ClusterIndex} from fabric8 informers over every kind the rules read, in all namespaces. Informers
 * retry forever (an informer stops for good after its first failure unless told otherwise). The pod informer keeps
 * only keys and resource versions in its own store; the index holds the reduced pod record.
 */
public final class InformerFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InformerFeed.class);
    /** The kinds watched, in the order they are started. */
    public static final List<Class<? extends HasMetadata>> KINDS = List.of(Namespace.class, IngressClass.class,
            Service.class, Ingress.class, Deployment.class, StatefulSet.class, DaemonSet.class, ReplicaSet.class,
            ReplicationController.class, EndpointSlice.class, Pod.class);

    private final KubernetesClient client;
    private final ClusterIndex index;
    private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers = new ConcurrentHashMap<>();
    private final Map<String, Long> lastEventMillis = new ConcurrentHashMap<>();

    public InformerFeed(KubernetesClient client, ClusterIndex index) {
        this.client = client;
        this.index = index;
        index.syncedWhen(this::synced);
    }

    /** Starts every informer without waiting for its first list; {@link #synced()} tells when all have listed. */
    public void start() {
        for (var kind : KINDS) {
            informers.put(kind.getSimpleName(), startInformer(kind));
        }
        LOG.infof("Watching %d kinds in all namespaces: %s", KINDS.size(), informers.keySet());
    }

    private <T extends HasMetadata> SharedIndexInformer<T> startInformer(Class<T> kind) {
        var informer = client.resources(kind).inAnyNamespace().runnableInformer(0);
        if (kind == Pod.class) {
            informer.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, kind,
                    client.getKubernetesSerialization()));
        }
        var name = kind.getSimpleName();
        informer.exceptionHandler((started, t) -> {
            LOG.warnf("Informer for %s failed (%s); retrying", name, t.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                touch(name);
                index.put(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                touch(name);
                index.put(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                touch(name);
                index.remove(obj);
            }
        });
        informer.start().whenComplete((v, t) -> {
            if (t == null) {
                LOG.infof("Informer for %s synced", name);
            }
        });
        return informer;
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

    /** True once every informer has listed its kind at least once. */
    public boolean synced() {
        if (informers.size() < KINDS.size()) {
            return false;
        }
        for (var informer : informers.values()) {
            if (!informer.hasSynced()) {
                return false;
            }
        }
        return true;
    }

    /** The kinds not synced yet, for the readiness check. */
    public List<String> unsynced() {
        var out = new ArrayList<String>();
        for (var kind : KINDS) {
            var informer = informers.get(kind.getSimpleName());
            if (informer == null || !informer.hasSynced()) {
                out.add(kind.getSimpleName());
            }
        }
        return out;
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
    }
}
