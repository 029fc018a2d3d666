package dev.upstreamguard.bench;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

import dev.upstreamguard.cluster.ClusterIndex;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Heap of the whole view, every kind, per pod: each object of a {@link SyntheticCluster} (pods as the API server sends
 * them, ReplicaSet history, EndpointSlices, Services, Ingresses, Namespaces) serialized to its own JSON and parsed back
 * as an informer receives it (no strings shared between objects), then put into a {@link ClusterIndex} and into the
 * informer's own cache for its kind: fabric8's {@code CacheImpl} (with its namespace index) over a
 * {@code ReducedStateItemStore(NAME_KEY_STATE)}, as {@code InformerFeed} sets it up. Kinds go in one after the other,
 * with used heap read after repeated full GCs in between, so each kind's share is measured; the informer stores are
 * then dropped one by one to split each share into view and informer store.
 *
 * <p>Usage: {@code MemoryMain <pods> <out.md> [--compare-full]}. With {@code --compare-full}, also the old comparison:
 * the pods alone in a ClusterIndex against the same pods kept whole (what a full pod cache would hold).
 */
public final class MemoryMain {
    /** The kinds in the order they are loaded (cluster-scoped first, pods last, as the informers start). */
    private static final List<String> KINDS = List.of("IngressClass", "Namespace", "Service", "Ingress", "Deployment",
            "ReplicaSet", "EndpointSlice", "Gateway", "HTTPRoute", "Pod");

    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        var out = args.length > 1 && !args[1].startsWith("--") ? Path.of(args[1]) : null;
        boolean compareFull = List.of(args).contains("--compare-full");
        boolean histogram = List.of(args).contains("--histogram");
        boolean storeVariants = List.of(args).contains("--store-variants");
        var json = new KubernetesSerialization();
        var cluster = new SyntheticCluster(pods);
        long t0 = System.nanoTime();
        // every object's JSON to a file per kind first: the bodies stay out of the heap that is measured
        var dir = Files.createTempDirectory("upstream-guard-memory");
        try {
            var bodies = Bodies.write(cluster, json, dir, KINDS);
            warmUp(bodies, json);
            System.err.printf("memory: %,d objects written and the parser warm after %.1f s%n", bodies.objects(),
                    (System.nanoTime() - t0) / 1e9);
            var text = measure(bodies, json, histogram);
            System.err.printf("memory: measured after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            if (compareFull) {
                text += "\n" + compareFull(bodies, json);
            }
            if (storeVariants) {
                text += "\n" + storeVariants(bodies, json);
            }
            System.out.print(text);
            if (out != null) {
                Files.writeString(out, text);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (var f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static String measure(Bodies bodies, KubernetesSerialization json, boolean histogram) throws Exception {
        var index = new ClusterIndex();
        var caches = new LinkedHashMap<String, CacheImpl<HasMetadata>>();
        var rows = new LinkedHashMap<String, long[]>(); // kind -> view + store, store
        var classes = new StringBuilder();
        long base = usedAfterGc();
        long before = base;
        var histo = histogram ? Histogram.take() : null;
        for (var kind : KINDS) {
            bodies.forEach(kind, json, parsed -> {
                index.put(parsed);
                caches.computeIfAbsent(kind, k -> informerCache(parsed.getClass(), json)).put(parsed);
            });
            long after = usedAfterGc();
            rows.put(kind, new long[] {after - before, 0});
            before = after;
            if (histogram) {
                var now = Histogram.take();
                classes.append(Histogram.delta(kind, histo, now, 12));
                histo = now;
            }
        }
        long all = before - base;
        int livePods = index.counts().get("Pod");
        // each kind's informer store, measured by what is freed when it goes
        for (var kind : KINDS) {
            caches.remove(kind);
            long after = usedAfterGc();
            rows.get(kind)[1] = before - after;
            before = after;
        }
        Reference.reachabilityFence(index);

        var text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "heap per pod, all kinds: %.2f KiB%n%n", all / 1024.0 / livePods));
        text.append("| kind | objects | JSON as sent, average | view (ClusterIndex) | informer store | per pod |\n");
        text.append("|---|---:|---:|---:|---:|---:|\n");
        long viewTotal = 0, storeTotal = 0;
        for (var e : rows.entrySet()) {
            var r = e.getValue();
            long n = bodies.count(e.getKey());
            viewTotal += r[0] - r[1];
            storeTotal += r[1];
            text.append(String.format(Locale.ROOT, "| %s | %,d | %,d B | %s | %s | %.2f KiB |%n", e.getKey(), n,
                    n == 0 ? 0 : bodies.bytes(e.getKey()) / n, mib(r[0] - r[1]), mib(r[1]), r[0] / 1024.0 / livePods));
        }
        text.append(String.format(Locale.ROOT, "| **all kinds** | %,d | | %s | %s | **%.2f KiB** |%n%n",
                bodies.objects(), mib(viewTotal), mib(storeTotal), all / 1024.0 / livePods));
        text.append(String.format(Locale.ROOT, "%,d pods; used heap after full GCs, %s over the baseline. View: the "
                + "ClusterIndex's records and indexes. Informer store: fabric8's CacheImpl (no namespace index, as InformerFeed has it) over a "
                + "ReducedStateItemStore keeping each object's key and resourceVersion. Target: ≤ 2 KiB per pod, all "
                + "kinds included.%n", livePods, mib(all)));
        if (histogram) {
            text.append("\nWhere the bytes go, per kind (class histogram after GC, growth over the kind before):\n\n")
                    .append(classes);
        }
        return text.toString();
    }

    /**
     * The cache an informer keeps for one kind, as InformerFeed sets it up: {@code removeNamespaceIndex()} and
     * {@code itemStore(new ReducedStateItemStore<>(...))}.
     */
    private static CacheImpl<HasMetadata> informerCache(Class<? extends HasMetadata> kind, KubernetesSerialization json) {
        var cache = new CacheImpl<HasMetadata>();
        cache.removeIndexer(CacheImpl.NAMESPACE_INDEX);
        cache.setItemStore(reducedStore(kind, json));
        return cache;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ReducedStateItemStore<HasMetadata> reducedStore(Class<? extends HasMetadata> kind,
                                                                   KubernetesSerialization json) {
        return new ReducedStateItemStore(ReducedStateItemStore.NAME_KEY_STATE, kind, json);
    }

    private static void warmUp(Bodies bodies, KubernetesSerialization json) {
        var index = new ClusterIndex();
        var caches = new LinkedHashMap<String, CacheImpl<HasMetadata>>();
        for (var kind : KINDS) {
            bodies.forEach(kind, 300, json, parsed -> {
                index.put(parsed);
                caches.computeIfAbsent(kind, k -> informerCache(parsed.getClass(), json)).put(parsed);
            });
        }
        Reference.reachabilityFence(index);
    }

    /**
     * The per-pod comparison: the pods alone in a ClusterIndex (reduced records and label index), then the same pods
     * kept whole in a list.
     */
    private static String compareFull(Bodies bodies, KubernetesSerialization json) throws Exception {
        long base = usedAfterGc();
        var index = new ClusterIndex();
        bodies.forEach("Pod", json, index::put);
        long withIndex = usedAfterGc();
        List<HasMetadata> full = new ArrayList<>();
        bodies.forEach("Pod", json, full::add);
        long withFull = usedAfterGc();
        Reference.reachabilityFence(index);
        Reference.reachabilityFence(full);
        int n = full.size();
        double reduced = (withIndex - base) / (double) n;
        double whole = (withFull - withIndex) / (double) n;
        return String.format(Locale.ROOT, """
                Pods alone (the per-pod comparison):

                | cache | pods | heap retained | per pod |
                |---|---:|---:|---:|
                | ClusterIndex (reduced PodSource + label index) | %,d | %s | %.2f KiB |
                | full fabric8 Pod objects in a list | %,d | %s | %.2f KiB |

                Reduced is %.1f× smaller than a full pod cache (target: ≥ 14×). Pods as sent by the API server \
                average %,d bytes of JSON (managedFields, 2 containers with env, resources, probes, status with \
                conditions and containerStatuses).
                """, n, mib(withIndex - base), reduced / 1024, n, mib(withFull - withIndex), whole / 1024,
                whole / reduced, bodies.bytes("Pod") / n);
    }

    /**
     * What the informers' stores would keep in other set-ups, every kind: with fabric8's default namespace index over a
     * ReducedStateItemStore, as InformerFeed has them (no namespace index: {@code informer.removeNamespaceIndex()}),
     * and with a store that keeps only key -> resourceVersion
     * ({@link KeyVersionStore}, a sketch) and no index.
     */
    private static String storeVariants(Bodies bodies, KubernetesSerialization json) throws Exception {
        var text = new StringBuilder("""
                Informer stores, every kind, three ways:

                | store | heap | per pod |
                |---|---:|---:|
                """);
        int pods = (int) bodies.count("Pod");
        for (var variant : List.of("CacheImpl + namespace index + ReducedStateItemStore (fabric8's default)",
                "CacheImpl, no namespace index + ReducedStateItemStore (as shipped)", "CacheImpl, no namespace index + key -> resourceVersion")) {
            var caches = new ArrayList<CacheImpl<HasMetadata>>();
            long base = usedAfterGc();
            for (var kind : KINDS) {
                var cache = new CacheImpl<HasMetadata>();
                if (!variant.contains("+ namespace index")) {
                    cache.removeIndexer(CacheImpl.NAMESPACE_INDEX);
                }
                if (variant.contains("resourceVersion")) {
                    cache.setItemStore(new KeyVersionStore<>());
                } else {
                    cache.setItemStore(reducedStore(bodies.type(kind), json));
                }
                bodies.forEach(kind, json, cache::put);
                caches.add(cache);
            }
            long used = usedAfterGc() - base;
            Reference.reachabilityFence(caches);
            text.append(String.format(Locale.ROOT, "| %s | %s | %.2f KiB |%n", variant, mib(used), used / 1024.0 / pods));
        }
        return text.toString();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** Used heap once full GCs no longer change it (two in a row within 64 KiB). */
    static long usedAfterGc() throws InterruptedException {
        var mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        long last = mem.getHeapMemoryUsage().getUsed();
        for (int i = 0; i < 6; i++) {
            Thread.sleep(20);
            System.gc();
            long used = mem.getHeapMemoryUsage().getUsed();
            if (Math.abs(last - used) < 64 * 1024) {
                return used;
            }
            last = used;
        }
        return last;
    }

    private MemoryMain() {
    }
}
