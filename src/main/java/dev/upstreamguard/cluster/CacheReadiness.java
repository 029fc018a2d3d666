package dev.upstreamguard.cluster;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when every informer has listed its kind once: before that the guard cannot judge anything. After that it
 * stays ready when watches drop; a stale view turns denials into warnings instead (see {@code ClusterViews#staleness}).
 */
@Readiness
@ApplicationScoped
public class CacheReadiness implements HealthCheck {
    private final ClusterViews views;

    public CacheReadiness(ClusterViews views) {
        this.views = views;
    }

    @Override
    public HealthCheckResponse call() {
        var unsynced = views.unsynced();
        var builder = HealthCheckResponse.named("cluster-cache").withData("source", views.source());
        views.index().counts().forEach((kind, n) -> builder.withData(kind, n));
        // informational only: a dropped watch must not take the pod out of the Service (see GuardConfig.cache)
        builder.withData("stalenessSeconds", views.stalenessSeconds());
        if (!unsynced.isEmpty()) {
            return builder.down().withData("unsynced", String.join(",", unsynced)).build();
        }
        return builder.up().build();
    }
}
