package dev.upstreamguard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;

import dev.upstreamguard.admission.HandledKinds;
import dev.upstreamguard.cluster.InformerFeed;
import dev.upstreamguard.cluster.ManifestLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Where the cluster a bundle is checked against comes from: {@code none} (the bundle alone), a snapshot directory
 * (what {@code kubectl get ... -A -o yaml} wrote), or {@code live}: fabric8's usual configuration (kubeconfig, in-cluster
 * service account, {@code KUBERNETES_MASTER}), each kind listed once, page by page, with GETs only — no informer, no
 * watch, no write.
 */
public final class ClusterSources {
    /** Objects of a live list asked for per page. */
    static final long PAGE = 500;

    private ClusterSources() {
    }

    /** The kinds read from a live cluster: those the informers watch, and every kind the webhook judges. */
    public static List<Class<? extends HasMetadata>> liveKinds() {
        var kinds = new LinkedHashSet<Class<? extends HasMetadata>>(InformerFeed.KINDS);
        kinds.addAll(HandledKinds.KINDS.values());
        // the v1 ReferenceGrant has no model class; the v1beta1 list returns the same objects where both are served
        kinds.remove(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
        return List.copyOf(kinds);
    }

    /** Hands every object of the snapshot under {@code dir} to {@code sink}. */
    public static void snapshot(Path dir, ManifestLoader loader, Consumer<HasMetadata> sink) {
        if (!Files.isDirectory(dir)) {
            throw new CheckInputException("--cluster " + dir + ": not a directory (none, live, or a snapshot directory)");
        }
        try {
            loader.forEach(dir, sink);
        } catch (IllegalArgumentException e) {
            throw new CheckInputException("--cluster " + dir + ": " + e.getMessage());
        }
    }

    /**
     * A client configured the way kubectl is (nothing is sent until a list), failing fast: one try per request, not
     * fabric8's ten with backoff, so an unreachable cluster is an error in seconds.
     */
    public static KubernetesClient liveClient() {
        var config = Config.autoConfigure(null);
        config.setRequestRetryBackoffLimit(0);
        config.setConnectionTimeout(10_000);
        config.setRequestTimeout(60_000);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * Lists every kind of {@link #liveKinds()} once into {@code sink}. A kind the API server does not serve (Gateway
     * API without its CRDs) is left out and named in {@code notes}; any other failure is bad input (exit 2).
     */
    public static void live(KubernetesClient client, Consumer<HasMetadata> sink, Consumer<String> notes) {
        for (var kind : liveKinds()) {
            try {
                list(client, kind, sink);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    notes.accept(HasMetadata.getKind(kind) + " is not served by this cluster: not read");
                    continue;
                }
                throw new CheckInputException("--cluster live: cannot list " + HasMetadata.getPlural(kind) + " at "
                        + client.getMasterUrl() + ": " + reason(e));
            }
        }
    }

    private static <T extends HasMetadata> void list(KubernetesClient client, Class<T> kind, Consumer<HasMetadata> sink) {
        String next = null;
        do {
            var options = new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build();
            KubernetesResourceList<T> page = client.resources(kind).inAnyNamespace().list(options);
            page.getItems().forEach(sink);
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
    }

    private static String reason(KubernetesClientException e) {
        if (e.getCode() == 401 || e.getCode() == 403) {
            return "forbidden (HTTP " + e.getCode() + "): check needs get and list on every kind it reads";
        }
        // fabric8 wraps the cause in "Operation: [list] for kind ... failed."; the innermost message says why
        String why = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                why = t.getMessage();
            }
        }
        return why == null ? e.getClass().getSimpleName() : why.lines().findFirst().orElse(why);
    }
}
