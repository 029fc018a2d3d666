package dev.upstreamguard.cluster;

import java.nio.file.Path;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import dev.upstreamguard.policy.GuardConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Startup;

/**
 * Holds the live view the webhook decides on: a {@link ClusterIndex} fed by informers, or loaded once from the
 * manifests named by {@code upstream-guard.cluster.manifests} (demo, tests, offline checks).
 */
@ApplicationScoped
@Startup
public class ClusterViews {
    private static final Logger LOG = Logger.getLogger(ClusterViews.class);

    private final ClusterIndex index;
    private final InformerFeed feed;
    private final String source;

    public ClusterViews(GuardConfig config, Instance<KubernetesClient> client) {
        var manifests = config.cluster().manifests();
        if (manifests.isPresent()) {
            var path = Path.of(manifests.get());
            this.index = new ManifestLoader().load(path);
            this.feed = null;
            this.source = "manifests under " + path.toAbsolutePath().normalize();
            LOG.infof("Cluster view loaded from %s: %s", source, index.counts());
        } else {
            this.index = new ClusterIndex();
            var c = client.get();
            this.feed = new InformerFeed(c, index);
            this.source = "the API server at " + c.getMasterUrl();
            feed.start();
        }
    }

    /** The live view: before any change. */
    public ClusterView view() {
        return index;
    }

    public ClusterIndex index() {
        return index;
    }

    /** Where the view comes from, for logs and health. */
    public String source() {
        return source;
    }

    /** Kinds whose informer has not listed yet (empty for manifests). */
    public List<String> unsynced() {
        return feed == null ? List.of() : feed.unsynced();
    }

    /** Seconds since each informer's last event (empty for manifests). */
    public java.util.Map<String, Double> lastEventAgeSeconds() {
        return feed == null ? java.util.Map.of() : feed.lastEventAgeSeconds();
    }

    /** True when the view comes from a live API server (events can be written there). */
    public boolean live() {
        return feed != null;
    }

    @PreDestroy
    void stop() {
        if (feed != null) {
            feed.close();
        }
    }
}
