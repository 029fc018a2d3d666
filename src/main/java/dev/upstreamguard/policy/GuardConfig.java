package dev.upstreamguard.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** All of upstream-guard's configuration, under the prefix {@code upstream-guard}. */
@ConfigMapping(prefix = "upstream-guard")
public interface GuardConfig {

    /**
     * The global mode: {@code enforce} denies breaking changes, {@code warn} only warns (audit), {@code off} answers
     * allowed with nothing. A namespace label or object annotation {@code upstream-guard.dev/mode} overrides it.
     */
    @WithDefault("enforce")
    String mode();

    /** What a DELETE that breaks a route gets: {@code warn} (teardown order is not ours to choose) or {@code deny}. */
    @WithDefault("warn")
    String deletes();

    /** When true, a regression on a Service no Ingress routes to is denied like one on a routed Service. */
    @WithDefault("false")
    boolean protectUnrouted();

    /** Per-rule severity overrides: {@code upstream-guard.severity."rule-id"=error|warning|off}. */
    Map<String, String> severity();

    /**
     * The time a liveness probe without a startup probe must allow before it kills a container
     * ({@code initialDelaySeconds + periodSeconds x failureThreshold}); below it, {@code liveness-probe-too-aggressive}.
     */
    @WithDefault("30")
    int livenessBudgetSeconds();

    /** Users whose requests are never evaluated, beyond the kube-system controllers (e.g. an autoscaler). */
    Optional<List<String>> exemptUsers();

    /** Where the cluster view comes from. */
    ClusterConfig cluster();

    /** The periodic whole-cluster audit. */
    AuditConfig audit();

    /** Kubernetes Events for warnings and warn-mode would-be denials. */
    EventsConfig events();

    /** PolicyReports (wgpolicyk8s.io) and Reports (openreports.io) written from the audit. */
    ReportsConfig reports();

    /** The periodic whole-cluster audit. */
    interface AuditConfig {
        /** Run the audit periodically (GET /audit always works). */
        @WithDefault("true")
        boolean enabled();

        /** Time between two audits. */
        @WithDefault("5m")
        java.time.Duration interval();

        /** Time after startup before the first audit (it waits for the caches to sync in any case). */
        @WithDefault("30s")
        java.time.Duration initialDelay();
    }

    /** Kubernetes Events for warnings and warn-mode would-be denials (Argo CD, Flux and Helm hide admission warnings). */
    interface EventsConfig {
        /** Write Events (only against a live cluster; never for dry runs). */
        @WithDefault("true")
        boolean enabled();

        /** Events waiting to be written; beyond it they are dropped and counted, never blocking a review. */
        @WithDefault("1000")
        int queueSize();

        /** The same object and rule get at most one Event per window. */
        @WithDefault("10m")
        java.time.Duration dedupeWindow();
    }

    /**
     * PolicyReports (wgpolicyk8s.io/v1alpha2) and Reports (openreports.io/v1alpha1) written from the audit, one per
     * namespace with findings, for Policy Reporter and the dashboards that read the policy reports API. Only against a
     * live cluster, and only for the APIs it serves.
     */
    interface ReportsConfig {
        /** Write the reports after each audit (where the cluster serves their API). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Results in one namespace's report at most (errors first); the rest are still counted in its summary, and the
         * annotation {@code upstream-guard.dev/results-omitted} says how many were left out.
         */
        @WithDefault("1000")
        int maxResults();
    }

    /** How the ingress-nginx controller in this cluster reads its annotations. */
    IngressNginxConfig ingressNginx();

    /** How the informer caches behind the live view may lag before the guard stops denying on them. */
    CacheConfig cache();

    /** How reviews are admitted: the API server's deadline and the reviews judged at once. */
    AdmissionConfig admission();

    /** How the informer caches behind the live view may lag before the guard stops denying on them. */
    interface CacheConfig {
        /**
         * Watches drop and reconnect routinely, so readiness never flaps on them; but once any informer has not been
         * watching for longer than this, the view may miss changes, and denials become warnings that say the view is
         * stale. Informers that stop for good are restarted.
         */
        @WithDefault("60s")
        Duration maxStaleness();

        /**
         * Rehearsal only: apply every watch event to the view this much later, as a busy API server's watch lag would
         * (0, the default, applies them as they arrive). Used to show that a lagging cache never denies a good
         * release; never set it in production.
         */
        @WithDefault("0s")
        Duration applyDelay();

        /**
         * How often the API server is asked whether it serves the Gateway API, until it does: its informers start within
         * this long of its CRDs being installed.
         */
        @WithDefault("30s")
        Duration discoveryInterval();
    }

    /** How reviews are admitted: the API server's deadline and the reviews judged at once. */
    interface AdmissionConfig {
        /**
         * Reviews judged at once; one more is answered at once, allowed with the warning "overloaded", rather than
         * queued past the API server's deadline.
         */
        @WithDefault("64")
        int maxInFlight();

        /**
         * Kept free before the API server's deadline ({@code ?timeout=} on the call) for the answer to travel back:
         * a review reached later than the deadline minus this is allowed unchecked, with a warning.
         */
        @WithDefault("250ms")
        Duration deadlineMargin();

        /**
         * Threads that judge reviews (the event loops only read bodies and write answers); 0 means one per core, at
         * least two. A denial's confirmation blocks its thread on the API server for a few milliseconds.
         */
        @WithDefault("0")
        int workers();

        /**
         * The longest a would-be denial may spend being confirmed on a fresh read from the API server (never past the
         * API server's own deadline); a read that takes longer allows, with a warning that the denial was not
         * confirmed.
         */
        @WithDefault("2s")
        Duration confirmTimeout();
    }

    /** How the ingress-nginx controller in this cluster reads its annotations. */
    interface IngressNginxConfig {
        /**
         * The controller's {@code --annotations-prefix}: the rules read {@code <prefix>/proxy-read-timeout},
         * {@code <prefix>/canary}, {@code <prefix>/backend-protocol} and the like under it.
         */
        @WithDefault("nginx.ingress.kubernetes.io")
        String annotationsPrefix();
    }

    /** Where the cluster view comes from. */
    interface ClusterConfig {
        /**
         * A directory of YAML manifests (multi-document, recursive) to load instead of watching a cluster: the demo,
         * tests and offline checks. Unset: watch the cluster fabric8 is configured for.
         */
        Optional<String> manifests();
    }

    /** The settings the decision needs, as a plain value. */
    default PolicySettings policy() {
        return PolicySettings.of(mode(), deletes(), protectUnrouted(), severity(), exemptUsers().orElse(List.of()));
    }
}
