package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.NamespaceState;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.gateway.Attachments;
import dev.upstreamguard.gateway.GatewayMessages;
import dev.upstreamguard.gateway.GatewayRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * No parentRef of an HTTPRoute or GRPCRoute attaches to its Gateway: the Gateway does not exist, {@code sectionName} or
 * {@code port} names no listener, or no listener admits the route (allowed namespaces and kinds, hostnames). Every
 * request for the route's hostnames gets 404. Parents that are not Gateways (mesh Services) are not judged.
 */
public final class RouteNotAttached implements Rule<HasMetadata> {
    public static final RuleInfo INFO = new RuleInfo("route-not-attached", Severity.ERROR,
            "HTTPRoute or GRPCRoute attaches to no Gateway listener",
            "A route serves traffic only through a Gateway listener that accepts it. When its Gateway is missing, "
                    + "its sectionName or port names no listener, or no listener admits it (allowedRoutes namespaces or "
                    + "kinds, or no hostname in common), the route is not attached (Accepted=False) and every request "
                    + "for its hostnames gets 404 from the gateway.",
            "Point parentRefs at an existing Gateway and listener that admits the route: fix sectionName or port, "
                    + "label the route's namespace as the listener's allowedRoutes selector asks, or align hostnames.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public Class<HasMetadata> subjectType() {
        return HasMetadata.class;
    }

    @Override
    public List<Finding> check(HasMetadata subject, ClusterView view) {
        if (!GatewayRoute.isRoute(subject)) {
            return List.of();
        }
        var route = GatewayRoute.of(subject);
        var attachments = Attachments.all(route, view::gateway,
                ns -> view.namespace(ns).map(NamespaceState::labels).orElse(Map.of()));
        if (!Attachments.unattached(attachments)) {
            return List.of();
        }
        var ref = route.ref();
        var chain = new ArrayList<ObjectRef>();
        chain.add(ref);
        var messages = new ArrayList<String>();
        String fix = null;
        boolean allAbsent = true;
        for (var a : attachments) {
            if (!a.detached()) {
                continue;
            }
            chain.add(a.parent().target());
            messages.add(GatewayMessages.attachmentMessage(ref, a));
            if (fix == null) {
                fix = a.fix();
            }
            allAbsent &= a.absentReference();
        }
        var first = attachments.stream().filter(a -> a.detached()).findFirst().orElseThrow();
        var summary = GatewayMessages.attachmentSummary(ref, first);
        var message = String.join(" ", messages) + " Every request for " + hosts(route) + " gets 404.";
        var finding = INFO.finding(ref, "attachment", summary, message, fix, List.copyOf(chain));
        return List.of(allAbsent ? finding.absent() : finding);
    }

    private static String hosts(GatewayRoute route) {
        return route.hostnames().isEmpty() ? "its listeners' hostnames" : String.join(", ", route.hostnames());
    }
}
