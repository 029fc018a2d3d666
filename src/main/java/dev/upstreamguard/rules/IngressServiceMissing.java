package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.IngressBackends;
import dev.upstreamguard.cluster.ObjectRef;
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
        var out = new ArrayList<Finding>();
        var ns = ingress.getMetadata().getNamespace();
        for (var b : IngressBackends.of(ingress)) {
            if (view.service(ns, b.service()).isPresent()) {
                continue;
            }
            var names = view.servicesIn(ns).stream().map(s -> s.getMetadata().getName()).toList();
            var svc = new ObjectRef("Service", ns, b.service());
            var message = b.ingress() + " " + b.field() + " (" + b.where() + ") -> " + svc
                    + ": no such Service in namespace " + ns + " (it has: " + Routes.closest(names, b.service(), 5) + ").";
            var fix = "create Service " + svc + ", or point the backend at an existing Service.";
            var summary = b.ingress() + " (" + b.where() + ") -> " + svc + ": Service not found";
            out.add(INFO.finding(b.ingress(), b.routeKey(), summary, message, fix, List.of(b.ingress(), svc)).absent());
        }
        return out;
    }
}
