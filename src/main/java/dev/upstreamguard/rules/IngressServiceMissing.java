package dev.upstreamguard.rules;

import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/** An Ingress backend names a Service that does not exist: nginx has no upstream for that route and answers 503/502. */
public final class IngressServiceMissing extends IngressRule {
    public static final RuleInfo INFO = new RuleInfo("ingress-service-missing", Severity.ERROR,
            "Ingress backend names a Service that does not exist",
            "ingress-nginx has no upstream for the route: every request to it fails (503 from nginx, 502 behind "
                    + "a cloud load balancer) until a Service of that name appears in the Ingress's namespace.",
            "Create the Service in the Ingress's namespace, or point the backend at an existing Service.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> check(Ingress ingress, ClusterView view) {
        return List.of(); // judged per route: checkRoute
    }

    @Override
    public RouteWalk.Link link() {
        return RouteWalk.Link.SERVICE;
    }

    @Override
    public boolean judgesRoutesOf(String routeKind) {
        return routeKind.equals("Ingress");
    }

    @Override
    public List<Finding> checkRoute(RouteWalk walk, ClusterView view) {
        var b = walk.backend();
        var svc = b.service();
        var names = view.servicesIn(svc.namespace()).stream().map(s -> s.getMetadata().getName()).toList();
        var message = b.describe() + " -> " + svc + ": no such Service in namespace " + svc.namespace() + " (it has: "
                + Routes.closest(names, svc.name(), 5) + ").";
        var fix = "create Service " + svc.namespace() + "/" + svc.name() + ", or point the backend at an existing "
                + "Service.";
        var summary = walk.briefChain() + ": Service not found";
        return List.of(INFO.finding(b.route(), b.routeKey(), summary, message, fix, List.of(b.route(), svc)).absent());
    }
}
