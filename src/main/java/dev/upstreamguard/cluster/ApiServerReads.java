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
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * {@link FreshReads} from the API server: the lists of one namespace in parallel (Gateway API kinds too, where
 * served), each a quorum read (no
 * resourceVersion, so never an answer from the API server's own watch cache), within the time given. Needs only the
 * get/list the guard's ClusterRole already grants.
 */
public final class ApiServerReads implements FreshReads, AutoCloseable {
    private final KubernetesClient client;
    private final ExecutorService pool;
    private final java.util.function.BooleanSupplier gatewayApi;

    /** @param gatewayApi whether the API server serves the Gateway API (its routes, Gateways and grants are read too) */
    public ApiServerReads(KubernetesClient client, java.util.function.BooleanSupplier gatewayApi) {
        this.client = client;
        this.gatewayApi = gatewayApi;
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
        var lists = new ArrayList<Supplier<List<? extends HasMetadata>>>(List.of(
                () -> client.services().inNamespace(namespace).list().getItems(),
                () -> client.network().v1().ingresses().inNamespace(namespace).list().getItems(),
                () -> client.apps().deployments().inNamespace(namespace).list().getItems(),
                () -> client.apps().statefulSets().inNamespace(namespace).list().getItems(),
                () -> client.apps().daemonSets().inNamespace(namespace).list().getItems(),
                () -> client.apps().replicaSets().inNamespace(namespace).list().getItems(),
                () -> client.replicationControllers().inNamespace(namespace).list().getItems()));
        if (gatewayApi.getAsBoolean()) {
            lists.add(() -> client.resources(Gateway.class).inNamespace(namespace).list().getItems());
            lists.add(() -> client.resources(HTTPRoute.class).inNamespace(namespace).list().getItems());
            lists.add(() -> orNone(() -> client.resources(GRPCRoute.class).inNamespace(namespace).list().getItems()));
            lists.add(() -> referenceGrants(namespace));
        }
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

    /** ReferenceGrants as v1beta1 where served, else as v1 (no model class: generic resources). */
    private List<? extends HasMetadata> referenceGrants(String namespace) {
        try {
            return client.resources(ReferenceGrant.class).inNamespace(namespace).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            var context = new ResourceDefinitionContext.Builder().withGroup("gateway.networking.k8s.io")
                    .withVersion("v1").withKind("ReferenceGrant").withPlural("referencegrants").withNamespaced(true)
                    .build();
            return orNone(() -> client.genericKubernetesResources(context).inNamespace(namespace).list().getItems());
        }
    }

    /** A list of a kind the API server may not serve (404): none. */
    private static List<? extends HasMetadata> orNone(Supplier<List<? extends HasMetadata>> list) {
        try {
            return list.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
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
