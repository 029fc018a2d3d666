package dev.upstreamguard.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

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
    private final Duration maxStaleness;
    private final ApiServerReads freshReads;

    @Inject
    public ClusterViews(GuardConfig config, Instance<KubernetesClient> client) {
        this.maxStaleness = config.cache().maxStaleness();
        var manifests = config.cluster().manifests();
        if (manifests.isPresent()) {
            var path = Path.of(manifests.get());
            this.index = new ManifestLoader().load(path);
            this.feed = null;
            this.freshReads = null;
            this.source = "manifests under " + path.toAbsolutePath().normalize();
            LOG.infof("Cluster view loaded from %s: %s", source, index.counts());
        } else {
            this.index = new ClusterIndex();
            var c = client.get();
            // look often enough that staleness is measured to a quarter of the allowed lag, at most every second
            var checkEvery = Duration.ofMillis(Math.max(100, Math.min(1000, maxStaleness.toMillis() / 4)));
            this.feed = new InformerFeed(c, index, checkEvery, config.cache().applyDelay())
                    .discoveringEvery(config.cache().discoveryInterval());
            var watching = this.feed;
            this.freshReads = new ApiServerReads(c, watching::gatewayApiWatched);
            this.source = "the API server at " + c.getMasterUrl();
            if (!config.cache().applyDelay().isZero()) {
                LOG.warnf("Rehearsal: every watch event reaches the view %d ms late (upstream-guard.cache.apply-delay)",
                        config.cache().applyDelay().toMillis());
            }
            feed.start();
        }
    }

    /** A live view fed by the given informers (tests). */
    ClusterViews(ClusterIndex index, InformerFeed feed, Duration maxStaleness) {
        this.index = index;
        this.feed = feed;
        this.source = "a test feed";
        this.maxStaleness = maxStaleness;
        this.freshReads = null;
    }

    /** The live view: before any change. */
    public ClusterView view() {
        return index;
    }

    public ClusterIndex index() {
        return index;
    }

    /** Reads from the API server that confirm denials, when the view is live. */
    public Optional<FreshReads> freshReads() {
        return Optional.ofNullable(freshReads);
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

    /** The longest any informer has not been watching, in seconds (0 for manifests): for a gauge. */
    public long stalenessSeconds() {
        return feed == null ? 0 : feed.stalenessSeconds();
    }

    /** Per kind, seconds its informer has not been watching (empty for manifests): for a gauge per kind. */
    public Map<String, Long> stalenessSecondsByKind() {
        var out = new LinkedHashMap<String, Long>();
        if (feed != null) {
            feed.notWatchingFor().forEach((kind, d) -> out.put(kind, d.toSeconds()));
        }
        return out;
    }

    /**
     * Why the view is too stale to deny on, e.g. "cluster view stale for 75s (Pod not watching)", while any informer
     * has not been watching for longer than {@code upstream-guard.cache.max-staleness}; empty otherwise.
     */
    public Optional<String> staleness() {
        if (feed == null) {
            return Optional.empty();
        }
        var lagging = feed.notWatchingFor().entrySet().stream()
                .filter(e -> !InformerFeed.AUDIT_ONLY.contains(e.getKey()) && e.getValue().compareTo(maxStaleness) > 0)
                .collect(Collectors.toList());
        if (lagging.isEmpty()) {
            return Optional.empty();
        }
        long seconds = lagging.stream().mapToLong(e -> e.getValue().toSeconds()).max().orElse(0);
        return Optional.of("cluster view stale for " + seconds + "s (" + kinds(lagging) + " not watching)");
    }

    /** "Pod", "Pod, Service", "ReplicationController +3 more": short enough for a 120-character warning. */
    private static String kinds(List<Map.Entry<String, Duration>> lagging) {
        var out = new StringBuilder();
        int shown = 0;
        for (var e : lagging) {
            if (shown > 0 && out.length() + 2 + e.getKey().length() > 24) {
                break;
            }
            out.append(shown == 0 ? "" : ", ").append(e.getKey());
            shown++;
        }
        return shown == lagging.size() ? out.toString() : out + " +" + (lagging.size() - shown) + " more";
    }

    /**
     * Why the audit's runtime facts (ready endpoints) are incomplete: an audit-only kind has not listed yet, or has not
     * been watching for longer than {@code upstream-guard.cache.max-staleness}; empty otherwise. Denials never depend
     * on these kinds.
     */
    public Optional<String> auditDegradation() {
        if (feed == null) {
            return Optional.empty();
        }
        var unsynced = feed.auditOnlyUnsynced();
        if (!unsynced.isEmpty()) {
            return Optional.of(String.join(", ", unsynced) + " not listed yet: ready endpoints unknown");
        }
        var lagging = feed.notWatchingFor().entrySet().stream()
                .filter(e -> InformerFeed.AUDIT_ONLY.contains(e.getKey()) && e.getValue().compareTo(maxStaleness) > 0)
                .map(e -> e.getKey() + " not watching for " + e.getValue().toSeconds() + "s").toList();
        return lagging.isEmpty() ? Optional.empty()
                : Optional.of(String.join(", ", lagging) + ": ready endpoints may be out of date");
    }

    /** The informer feed, when the view is live (for tests). */
    Optional<InformerFeed> feed() {
        return Optional.ofNullable(feed);
    }

    @PreDestroy
    void stop() {
        if (feed != null) {
            feed.close();
        }
        if (freshReads != null) {
            freshReads.close();
        }
    }
}
