package dev.upstreamguard.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.Labels;
import dev.upstreamguard.cluster.PodSource;
import dev.upstreamguard.cluster.PodSources;
import dev.upstreamguard.gateway.ReferenceGrants;
import dev.upstreamguard.gateway.RouteBackend;
import dev.upstreamguard.rules.RouteWalk;
import dev.upstreamguard.rules.RouteWalk.Link;
import dev.upstreamguard.rules.Services;
import dev.upstreamguard.rules.ServiceSelectsNothing;
import dev.upstreamguard.rules.ServiceTargetPortMissing;
import dev.upstreamguard.rules.WorkloadScaledToZero;
import dev.upstreamguard.rules.Workloads;
import io.fabric8.kubernetes.api.model.Service;

/**
 * Walks one route hop by hop with {@link RouteWalk}, the walker every rule shares, and turns each link into a hop with
 * its state. The first broken link stops the walk and carries the finding the webhook gives for it (the very rule of
 * that link, or {@code workload-scaled-to-zero} when the only workload behind the Service runs no replicas); a route
 * with no broken hop gets the timeouts that can still end a request in a 504.
 */
final class RouteHops {
    private final ClusterIndex view;
    private final Judge judge;
    private final boolean runtimeFacts;

    RouteHops(ClusterIndex view, Judge judge, boolean runtimeFacts) {
        this.view = view;
        this.judge = judge;
        this.runtimeFacts = runtimeFacts;
    }

    WalkedRoute walk(RouteTarget target) {
        var hops = new ArrayList<Hop>();
        boolean fromService = target.owner() instanceof Service;
        if (!fromService) {
            var owner = OwnerHop.of(target.owner(), view, judge);
            hops.add(owner);
            if (owner.isBroken()) {
                return new WalkedRoute(target, hops, List.of());
            }
        }
        var walk = RouteWalk.walk(target.route(), view);
        if (!links(walk, hops) || fromService) {
            return new WalkedRoute(target, hops, List.of());
        }
        return new WalkedRoute(target, hops, Timeouts.of(target, view, judge));
    }

    /** Adds a hop per link; false when the walk broke (the last hop added is broken). */
    private boolean links(RouteWalk walk, List<Hop> hops) {
        var b = walk.backend();
        if (!b.service().namespace().equals(b.route().namespace())) {
            if (walk.broken() == Link.PERMITTED) {
                return broke("permitted", walk, hops);
            }
            var permission = ReferenceGrants.permission(RouteBackend.of(b), view.referenceGrants(b.service().namespace()));
            hops.add(Hop.ok("permitted", permission.explanation()));
        }
        if (walk.broken() == Link.SERVICE) {
            return broke("service", walk, hops);
        }
        var service = walk.service();
        hops.add(Hop.ok("service", describe(service)));
        if ("ExternalName".equals(walk.stop())) {
            hops.add(Hop.notJudged("port", "an ExternalName Service has no pods behind it: the gateway resolves "
                    + service.getSpec().getExternalName() + " itself; not walked further"));
            return true;
        }
        if ("no port named".equals(walk.stop())) {
            hops.add(Hop.notJudged("port", "the route names no Service port"));
            return true;
        }
        if (walk.broken() == Link.PORT) {
            return broke("port", walk, hops);
        }
        hops.add(Hop.ok("port", "port " + Services.describe(walk.port()) + " -> targetPort " + targetPort(walk)));
        if ("selector-less".equals(walk.stop())) {
            hops.add(Hop.notJudged("pods", "selector-less Service: endpoints are written by something else"));
            return endpoints(walk, hops);
        }
        if (walk.broken() == Link.PODS) {
            return scaledToZero(walk, hops) || broke("pods", walk, hops);
        }
        hops.add(Hop.ok("pods", "selector " + Services.describeSelector(Services.selector(service)) + " matches "
                + sources(walk.sources())));
        if ("headless".equals(walk.stop())) {
            hops.add(Hop.notJudged("targetPort", "headless Service: clients reach the pods' ports directly, the API "
                    + "ignores targetPort"));
            return endpoints(walk, hops);
        }
        if (walk.broken() == Link.TARGET_PORT) {
            return broke("targetPort", walk, hops);
        }
        hops.add(targetPortHop(walk));
        return endpoints(walk, hops);
    }

    private boolean endpoints(RouteWalk walk, List<Hop> hops) {
        var hop = EndpointsHop.of(walk, view, judge, runtimeFacts);
        hops.add(hop);
        return !hop.isBroken();
    }

    /** The walk broke at this link: the webhook's finding on it, as the rule of that link gives it. */
    private boolean broke(String hop, RouteWalk walk, List<Hop> hops) {
        var findings = walk.backend().route().kind().equals("Service") ? onService(walk) : judge.onWalk(walk, view);
        var problem = findings.isEmpty()
                ? Problem.error(walk.chain() + ": broken at " + hop + ".", "see docs/rules.md.")
                : Problem.of(findings.get(0));
        hops.add(Hop.broken(hop, problem));
        return false;
    }

    /** A Service port no route names, walked from the Service: the Service's own rule of the broken link. */
    private List<dev.upstreamguard.rules.Finding> onService(RouteWalk walk) {
        var id = walk.broken() == Link.PODS ? ServiceSelectsNothing.INFO.id() : ServiceTargetPortMissing.INFO.id();
        var key = Services.portKey(walk.port());
        return judge.rule(id, walk.service(), view).stream()
                .filter(f -> f.port() == null || f.port().equals(key)).toList();
    }

    /**
     * The selector matches no pod source because the workload whose template it matches runs no replicas: the
     * webhook's {@code workload-scaled-to-zero} finding says so better than "selects nothing". Found by scanning the
     * namespace's workloads: only on this broken path.
     */
    private boolean scaledToZero(RouteWalk walk, List<Hop> hops) {
        var service = walk.service();
        var ns = service.getMetadata().getNamespace();
        var svc = dev.upstreamguard.cluster.ObjectRef.of(service);
        for (var w : view.allWorkloads()) {
            var replicas = PodSources.replicas(w);
            if (!ns.equals(w.getMetadata().getNamespace()) || replicas == null || replicas > 0
                    || !Labels.matches(Services.selector(service), Workloads.templateLabels(w))) {
                continue;
            }
            var findings = judge.rule(WorkloadScaledToZero.INFO.id(), w, view).stream()
                    .filter(f -> f.involves(svc)).toList();
            if (!findings.isEmpty()) {
                hops.add(Hop.broken("pods", Problem.of(findings.get(0))));
                return true;
            }
        }
        return false;
    }

    private Hop targetPortHop(RouteWalk walk) {
        var port = walk.port();
        var containers = walk.sources().stream().map(s -> ServingContainer.of(s, port)).filter(ServingContainer::found)
                .map(ServingContainer::describe).distinct().collect(Collectors.joining(", "));
        if (!containers.isEmpty()) {
            return Hop.ok("targetPort", targetPort(walk) + " -> " + containers);
        }
        var key = Services.portKey(port);
        var warning = judge.rule(ServiceTargetPortMissing.INFO.id(), walk.service(), view).stream()
                .filter(f -> key.equals(f.port())).findFirst();
        if (warning.isPresent()) {
            return Hop.warning("targetPort", "targetPort " + Services.targetPortNumber(port) + " is not a declared "
                    + "container port", Problem.of(warning.get()));
        }
        return Hop.ok("targetPort", "targetPort " + Services.targetPortNumber(port) + " (the containers declare no "
                + "ports; a numeric targetPort need not be declared)");
    }

    /** {@code "api"} or {@code 8080}. */
    private static String targetPort(RouteWalk walk) {
        var name = Services.targetPortName(walk.port());
        return name != null ? "\"" + name + "\"" : String.valueOf(Services.targetPortNumber(walk.port()));
    }

    /** {@code Service shop/api (ClusterIP)}, {@code (headless)}, {@code (ExternalName db.example.com)}. */
    private static String describe(Service service) {
        var ref = dev.upstreamguard.cluster.ObjectRef.of(service);
        if (Services.externalName(service)) {
            return ref + " (ExternalName " + service.getSpec().getExternalName() + ")";
        }
        if (Services.headless(service)) {
            return ref + " (headless)";
        }
        var type = service.getSpec() == null || service.getSpec().getType() == null ? "ClusterIP"
                : service.getSpec().getType();
        return ref + " (" + type + ")";
    }

    /** {@code Deployment shop/api (2 replicas) and 2 live pods}. */
    private String sources(List<PodSource> sources) {
        var parts = new ArrayList<String>();
        for (var s : sources) {
            if (s.isLivePod()) {
                continue;
            }
            var replicas = view.workload(s.ref().kind(), s.ref().namespace(), s.ref().name())
                    .map(PodSources::replicas).orElse(null);
            parts.add(s.ref() + (replicas == null ? "" : " (" + replicas + " replica" + (replicas == 1 ? "" : "s") + ")"));
        }
        long pods = sources.stream().filter(PodSource::isLivePod).count();
        if (pods > 0) {
            parts.add(pods + " live pod" + (pods == 1 ? "" : "s"));
        }
        return String.join(" and ", parts);
    }
}
