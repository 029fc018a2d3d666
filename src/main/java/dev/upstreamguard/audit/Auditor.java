package dev.upstreamguard.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import dev.upstreamguard.cluster.ApiVersions;
import dev.upstreamguard.cluster.Backend;
import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.RouteBackends;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.cluster.PodSource;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.Finding;
import dev.upstreamguard.cluster.NamespaceState;
import dev.upstreamguard.gateway.Attachments;
import dev.upstreamguard.gateway.GatewayRoute;
import dev.upstreamguard.gateway.ReferenceGrants;
import dev.upstreamguard.gateway.RouteStatuses;
import dev.upstreamguard.rules.RouteNotAttached;
import dev.upstreamguard.rules.RouteWalk;
import dev.upstreamguard.rules.Services;
import dev.upstreamguard.rules.Workloads;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The whole-cluster audit: the same evaluator as the webhook over every Ingress, Service and workload, plus the runtime
 * facts the admission path never denies on (ready endpoints, and why there are none). Pure: no client, no clock
 * beyond the report's timestamp.
 */
public final class Auditor {
    private static final int PROGRESS_EVERY = 5_000;

    private final Evaluator evaluator;
    private final UnaryOperator<Finding> severities;

    /** An audit that reports findings at their rules' own severities. */
    public Auditor(Evaluator evaluator) {
        this(evaluator, f -> f);
    }

    /**
     * @param severities a finding at its configured severity, or null when its rule is switched off (the same
     *                   overrides the webhook applies)
     */
    public Auditor(Evaluator evaluator, UnaryOperator<Finding> severities) {
        this.evaluator = evaluator;
        this.severities = severities;
    }

    /**
     * Audits the view; {@code runtimeFacts} judges endpoints and pods (a live cluster), {@code progress} hears about
     * large audits every few thousand objects.
     */
    public AuditReport audit(ClusterIndex view, boolean runtimeFacts, Consumer<String> progress) {
        long start = System.nanoTime();
        var objects = new ArrayList<HasMetadata>();
        objects.addAll(view.allIngresses());
        objects.addAll(view.allGatewayRoutes());
        objects.addAll(view.allServices());
        view.allWorkloads().stream().filter(Workloads::reviewed).forEach(objects::add);
        var unique = new LinkedHashMap<Finding.Identity, Finding>();
        var failures = new ArrayList<Evaluator.RuleFailure>();
        for (int i = 0; i < objects.size(); i++) {
            for (var f : evaluator.run(objects.get(i), view, failures)) {
                var configured = severities.apply(f);
                if (configured != null) {
                    unique.putIfAbsent(configured.identity(), configured);
                }
            }
            if ((i + 1) % PROGRESS_EVERY == 0) {
                progress.accept("audit: evaluated " + (i + 1) + "/" + objects.size() + " objects");
            }
        }
        var findings = unique.values().stream()
                .sorted(Comparator.comparing(Finding::severity).thenComparing(f -> f.subject().toString()))
                .map(f -> item(f, view))
                .toList();
        var broken = brokenRoutes(view, unique.values().stream().toList(), runtimeFacts);
        long millis = (System.nanoTime() - start) / 1_000_000;
        var failed = failures.stream().limit(AuditReport.FAILED_RULES_LISTED)
                .map(f -> AuditReport.FailedRule.of(f.ruleId(), f.subject(), f.error())).toList();
        return new AuditReport(Instant.now().toString(), millis, objects.size(), runtimeFacts, findings, broken,
                failures.size(), failed, statusContradictions(view), null);
    }

    /** The finding as the report lists it, with a reference to its subject (uid from the view, when it holds it). */
    private static AuditReport.Item item(Finding f, ClusterIndex view) {
        var s = f.subject();
        var uid = view.object(s).map(o -> o.getMetadata().getUid()).orElse(null);
        return new AuditReport.Item(f.ruleId(), f.severity().label(), s.toString(), s.namespace(), f.message(), f.fix(),
                s.kind(), s.name(), ApiVersions.of(s.kind()), uid);
    }

    private static List<AuditReport.BrokenRoute> brokenRoutes(ClusterIndex view, List<Finding> findings,
                                                             boolean runtimeFacts) {
        var out = new ArrayList<AuditReport.BrokenRoute>();
        var owners = new ArrayList<HasMetadata>(view.allIngresses());
        owners.addAll(view.allGatewayRoutes());
        for (var owner : owners) {
            var notAttached = findings.stream().filter(f -> f.ruleId().equals(RouteNotAttached.INFO.id())
                    && f.subject().equals(ObjectRef.of(owner))).findFirst();
            if (notAttached.isPresent()) {
                var ref = ObjectRef.of(owner);
                out.add(new AuditReport.BrokenRoute(ref.toString(), "*", "", "not-attached", 0, 0,
                        notAttached.get().summary()));
                continue; // no request reaches its backends
            }
            for (var b : RouteBackends.of(owner)) {
                var walk = RouteWalk.walk(b, view);
                var svc = b.service();
                if (walk.broken() == RouteWalk.Link.PERMITTED) {
                    out.add(route(b, "no-service", 0, 0, "no ReferenceGrant in namespace " + svc.namespace()
                            + " permits " + b.route().kind() + "s from namespace " + b.route().namespace()));
                    continue;
                }
                if (walk.broken() == RouteWalk.Link.SERVICE) {
                    out.add(route(b, "no-service", 0, 0, "no Service " + svc.name() + " in namespace " + svc.namespace()));
                    continue;
                }
                if (walk.broken() == RouteWalk.Link.PORT) {
                    out.add(route(b, "no-endpoint", 0, 0, svc + " has no " + b.portLabel()));
                    continue;
                }
                var service = walk.service();
                if (!runtimeFacts || Services.externalName(service)) {
                    continue;
                }
                if (!Services.selectsPods(service)) {
                    if (!view.hasEndpointSlices(svc.namespace(), svc.name())) {
                        out.add(route(b, "no-endpoint", 0, 0, "selector-less Service with no EndpointSlice labelled "
                                + "kubernetes.io/service-name=" + svc.name()));
                    }
                    continue;
                }
                var pods = walk.sources().stream().filter(PodSource::isLivePod).toList();
                int endpoints = view.readyEndpoints(svc.namespace(), svc.name());
                int ready = endpoints >= 0 ? endpoints : (int) pods.stream().filter(PodSource::ready).count();
                if (ready > 0 && walk.broken() == RouteWalk.Link.NONE) {
                    continue;
                }
                out.add(route(b, "no-endpoint", ready, pods.size(), why(svc, service, pods, findings, view)));
            }
        }
        return out;
    }

    /**
     * Gateway API routes whose status, as their controller wrote it, contradicts our walk: Accepted=True on a parent we
     * find it does not attach to (or False where it does), ResolvedRefs=True while a backendRef is not permitted, its
     * Service missing or its port absent (or RefNotPermitted where every one is permitted). Controllers disagree on
     * what they report; this is where the guard's independent check shows.
     */
    static List<AuditReport.StatusContradiction> statusContradictions(ClusterIndex view) {
        var out = new ArrayList<AuditReport.StatusContradiction>();
        for (var object : view.allGatewayRoutes()) {
            var statuses = RouteStatuses.of(object);
            if (statuses.isEmpty()) {
                continue;
            }
            var route = GatewayRoute.of(object);
            var generation = object.getMetadata().getGeneration();
            var attachments = Attachments.all(route, view::gateway,
                    ns -> view.namespace(ns).map(NamespaceState::labels).orElse(java.util.Map.of()));
            var permissions = route.serviceBackends().stream().map(b -> ReferenceGrants.permission(b,
                    view.referenceGrants(b.namespace()))).toList();
            var unresolved = RouteBackends.of(object).stream().map(b -> RouteWalk.walk(b, view))
                    .filter(w -> w.broken() == RouteWalk.Link.SERVICE || w.broken() == RouteWalk.Link.PORT)
                    .findFirst();
            for (var status : statuses) {
                var who = status.controllerName() == null ? "its controller" : status.controllerName();
                for (var a : attachments) {
                    RouteStatuses.contradiction(a, status, generation).ifPresent(m ->
                            out.add(new AuditReport.StatusContradiction(route.ref().toString(), who, m)));
                }
                RouteStatuses.refsContradiction(permissions, status, generation).ifPresent(m ->
                        out.add(new AuditReport.StatusContradiction(route.ref().toString(), who, m)));
                var resolved = status.resolvedRefs();
                if (unresolved.isPresent() && resolved != null && resolved.isTrue() && !resolved.staleFor(generation)) {
                    var w = unresolved.get();
                    out.add(new AuditReport.StatusContradiction(route.ref().toString(), who, who + " reports "
                            + "ResolvedRefs=True for " + status.parentRef().describe() + ", but " + w.backend().field()
                            + " -> " + w.backend().service() + (w.broken() == RouteWalk.Link.SERVICE
                            ? ": no such Service" : ": the Service has no " + w.backend().portLabel())));
                }
            }
        }
        return out;
    }

    private static AuditReport.BrokenRoute route(Backend b, String type, int ready, int total, String reason) {
        return new AuditReport.BrokenRoute(b.route().toString(), b.where(), b.service().namespace() + "/"
                + b.service().name(), type, ready, total, reason);
    }

    /** Why a routed Service has no ready endpoint: a rule finding on the chain first, then what the pods say. */
    private static String why(ObjectRef svc, io.fabric8.kubernetes.api.model.Service service, List<PodSource> pods,
                              List<Finding> findings, ClusterIndex view) {
        var onService = findings.stream().filter(f -> f.subject().equals(svc) && f.severity().name().equals("ERROR"))
                .findFirst();
        if (onService.isPresent()) {
            return onService.get().summary();
        }
        var probeRules = java.util.Set.of("readiness-probe-port-missing", "startup-probe-port-missing",
                "liveness-probe-port-missing");
        var onWorkload = findings.stream()
                .filter(f -> Workloads.REVIEWED_KINDS.contains(f.subject().kind()) && probeRules.contains(f.ruleId()))
                .filter(f -> view.workload(f.subject().kind(), f.subject().namespace(), f.subject().name())
                        .map(w -> dev.upstreamguard.cluster.Labels.matches(Services.selector(service),
                                Workloads.templateLabels(w))).orElse(false))
                .findFirst();
        if (onWorkload.isPresent()) {
            return onWorkload.get().summary();
        }
        if (pods.isEmpty()) {
            return "no pods running (scaled to zero, pending, or not created yet)";
        }
        var parts = new ArrayList<String>();
        parts.add(pods.size() + " not Ready");
        var waiting = pods.stream().filter(p -> p.waiting() != null)
                .collect(Collectors.groupingBy(PodSource::waiting, Collectors.counting()));
        waiting.forEach((reason, n) -> parts.add(n + " waiting in " + reason));
        int restarts = pods.stream().mapToInt(PodSource::restarts).sum();
        if (restarts > 0) {
            parts.add(restarts + " restarts");
        }
        return String.join(", ", parts);
    }
}
