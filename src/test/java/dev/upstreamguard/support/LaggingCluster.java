package dev.upstreamguard.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.upstreamguard.cli.SyncTarget;
import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.FreshReads;
import dev.upstreamguard.cluster.Labels;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.cluster.PodSources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * A cluster whose informer caches lag the API server: every write lands in the API server's store at once and in the
 * guard's cache only when {@link #catchUp()} is called (the watch event still in flight). The guard judges on the
 * cache and confirms denials on {@link FreshReads} from the store, as it does against a real API server.
 */
public final class LaggingCluster implements FreshReads, SyncTarget {
    private final ClusterIndex cache = new ClusterIndex();
    private final Map<ObjectRef, HasMetadata> store = new LinkedHashMap<>();
    private final List<Runnable> inFlight = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile boolean failReads;

    /** What the guard sees. */
    public ClusterIndex cache() {
        return cache;
    }

    /** Writes to the API server; the cache hears of it on the next {@link #catchUp()}. */
    @Override
    public synchronized void put(HasMetadata object) {
        store.put(ObjectRef.of(object), object);
        inFlight.add(() -> cache.put(object));
    }

    @Override
    public synchronized void remove(HasMetadata object) {
        store.remove(ObjectRef.of(object));
        inFlight.add(() -> cache.remove(object));
    }

    /** Writes to the API server and the cache at once: the state before the story starts. */
    public synchronized void seed(HasMetadata object) {
        store.put(ObjectRef.of(object), object);
        cache.put(object);
    }

    /** Delivers every watch event in flight to the cache. */
    public synchronized void catchUp() {
        inFlight.forEach(Runnable::run);
        inFlight.clear();
    }

    /** The object as the API server has it now. */
    @Override
    public synchronized Optional<HasMetadata> live(ObjectRef ref) {
        return Optional.ofNullable(store.get(ref));
    }

    /** Makes every fresh read fail, as an API server that does not answer. */
    public void failReads(boolean fail) {
        this.failReads = fail;
    }

    /** How many fresh reads the guard made. */
    public int reads() {
        return reads.get();
    }

    @Override
    public synchronized List<HasMetadata> namespace(String namespace, Set<String> services,
                                                    Collection<Map<String, String>> selectors, Duration timeout) {
        reads.incrementAndGet();
        if (failReads) {
            throw new IllegalStateException("the API server does not answer");
        }
        var wanted = new ArrayList<Map<String, String>>(selectors);
        for (var o : store.values()) {
            if (o instanceof Service s && namespace.equals(s.getMetadata().getNamespace())
                    && services.contains(s.getMetadata().getName()) && s.getSpec() != null
                    && s.getSpec().getSelector() != null) {
                wanted.add(s.getSpec().getSelector());
            }
        }
        var out = new ArrayList<HasMetadata>();
        for (var o : store.values()) {
            if (!namespace.equals(o.getMetadata().getNamespace())) {
                continue;
            }
            if (o instanceof Service || o instanceof Ingress || PodSources.WORKLOAD_KINDS.contains(o.getKind())
                    || dev.upstreamguard.cluster.GatewayApi.judged(o)) {
                out.add(o);
            } else if (o instanceof Pod p && wanted.stream().anyMatch(sel -> !sel.isEmpty()
                    && Labels.matches(sel, p.getMetadata().getLabels()))) {
                out.add(o);
            }
        }
        return out;
    }
}
