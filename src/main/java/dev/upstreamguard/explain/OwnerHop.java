package dev.upstreamguard.explain;

import java.util.Map;
import java.util.stream.Collectors;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.NamespaceState;
import dev.upstreamguard.gateway.Attachment;
import dev.upstreamguard.gateway.Attachments;
import dev.upstreamguard.gateway.GatewayRoute;
import dev.upstreamguard.rules.IngressClassMissing;
import dev.upstreamguard.rules.IngressNginx;
import dev.upstreamguard.rules.RouteNotAttached;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * The first hop of a route, before its Service: for an Ingress, the class that serves it
 * ({@code ingress-class-missing} when none does; only a warning when the view holds no IngressClass at all); for an
 * HTTPRoute or GRPCRoute, the Gateway listeners it attaches to ({@code route-not-attached} when none admits it). Either
 * break answers 404 for every path of the object.
 */
final class OwnerHop {
    private OwnerHop() {
    }

    static Hop of(HasMetadata owner, ClusterView view, Judge judge) {
        if (owner instanceof Ingress ingress) {
            return ingressClass(ingress, view, judge);
        }
        return attached(owner, view, judge);
    }

    private static Hop ingressClass(Ingress ingress, ClusterView view, Judge judge) {
        var missing = judge.rule(IngressClassMissing.INFO.id(), ingress, view);
        if (!missing.isEmpty() && view.ingressClasses().isEmpty()) {
            // a view without any IngressClass (none created, or none readable): ingress-nginx may still serve it
            // (--watch-ingress-without-class), so this is said, not taken as the break
            return Hop.warning("class", "no IngressClass in this view", Problem.of(missing.get(0)));
        }
        if (!missing.isEmpty()) {
            return Hop.broken("class", Problem.of(missing.get(0)));
        }
        var cls = IngressNginx.effectiveClass(ingress, view).orElse(null);
        if (cls == null) {
            return Hop.ok("class", "no class named (the legacy annotation is matched by the controller's flag)");
        }
        var known = view.ingressClasses().stream().filter(c -> cls.equals(c.getMetadata().getName())).findFirst();
        if (known.isEmpty()) {
            return Hop.ok("class", "class \"" + cls + "\" (" + IngressNginx.CLASS_ANNOTATION + ", matched by the "
                    + "controller's --ingress-class)");
        }
        var controller = known.get().getSpec() == null ? null : known.get().getSpec().getController();
        var text = "IngressClass " + cls + " (controller " + controller + ")";
        return IngressNginx.servedByNginx(ingress, view) ? Hop.ok("class", text)
                : Hop.ok("class", text + ": not ingress-nginx; that controller's matching and timeouts apply");
    }

    private static Hop attached(HasMetadata owner, ClusterView view, Judge judge) {
        var detached = judge.rule(RouteNotAttached.INFO.id(), owner, view);
        if (!detached.isEmpty()) {
            return Hop.broken("attached", Problem.of(detached.get(0)));
        }
        var route = GatewayRoute.of(owner);
        var attachments = Attachments.all(route, view::gateway,
                ns -> view.namespace(ns).map(NamespaceState::labels).orElse(Map.of()));
        var attached = attachments.stream().filter(Attachment::attached).map(Attachment::explanation)
                .collect(Collectors.joining("; "));
        if (attached.isEmpty()) {
            return Hop.notJudged("attached", "no parentRef names a Gateway (a mesh route): attachment not judged");
        }
        return Hop.ok("attached", attached);
    }
}
