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
        return List.of(Routes.serviceMissing(INFO, walk, view, "backend"));
    }
}
