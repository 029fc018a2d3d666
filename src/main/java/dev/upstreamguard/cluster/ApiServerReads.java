package dev.upstreamguard.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@link FreshReads} from the API server: the lists of one namespace in parallel, each a quorum read (no
 * resourceVersion, so never an answer from the API server's own watch cache), within the time given. Needs only the
 * get/list the guard's ClusterRole already grants.
 */
public final class ApiServerReads implements FreshReads, AutoCloseable {
    private final KubernetesClient client;
    private final ExecutorService pool;

    public ApiServerReads(KubernetesClient client) {
        this.client = client;
        // grows with concurrent confirmations, idles back to nothing; a confirmation is rare (the deny path only)
        this.pool = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            var t = new Thread(r, "upstream-guard-confirm");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    @Override
    public List<HasMetadata> namespace(String namespace, Set<String> services, Collection<Map<String, String>> selectors,
                                       Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        var lists = List.<Supplier<List<? extends HasMetadata>>>of(
                () -> client.services().inNamespace(namespace).list().getItems(),
                () -> client.network().v1().ingresses().inNamespace(namespace).list().getItems(),
                () -> client.apps().deployments().inNamespace(namespace).list().getItems(),
                () -> client.apps().statefulSets().inNamespace(namespace).list().getItems(),
                () -> client.apps().daemonSets().inNamespace(namespace).list().getItems(),
                () -> client.apps().replicaSets().inNamespace(namespace).list().getItems(),
                () -> client.replicationControllers().inNamespace(namespace).list().getItems());
        var first = lists.stream().map(l -> CompletableFuture.supplyAsync(l, pool)).toList();
        var out = new ArrayList<HasMetadata>();
        for (var f : first) {
            out.addAll(f.get(remaining(deadline), TimeUnit.NANOSECONDS));
        }
        // the pods behind the Services as they are now, and behind the selectors the review itself carries
        var wanted = new LinkedHashSet<Map<String, String>>(selectors);
        for (var o : out) {
            if (o instanceof Service s && services.contains(s.getMetadata().getName()) && s.getSpec() != null
                    && s.getSpec().getSelector() != null && !s.getSpec().getSelector().isEmpty()) {
                wanted.add(s.getSpec().getSelector());
            }
        }
        var pods = wanted.stream().filter(sel -> sel != null && !sel.isEmpty())
                .map(sel -> CompletableFuture.supplyAsync(
                        () -> client.pods().inNamespace(namespace).withLabels(sel).list().getItems(), pool))
                .toList();
        var seen = new java.util.HashSet<String>();
        for (var f : pods) {
            for (var pod : f.get(remaining(deadline), TimeUnit.NANOSECONDS)) {
                if (seen.add(pod.getMetadata().getName())) {
                    out.add(pod);
                }
            }
        }
        return out;
    }

    private static long remaining(long deadline) throws java.util.concurrent.TimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new java.util.concurrent.TimeoutException("out of time");
        }
        return left;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
