package dev.upstreamguard.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.upstreamguard.gateway.ParentStatus.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;

/**
 * What Gateway controllers wrote into a route's {@code status.parents}, and where it contradicts our own judgement:
 * the audit reports those, since either the controller or this guard is wrong about the route.
 */
public final class RouteStatuses {
    public static final String ACCEPTED = "Accepted";
    public static final String RESOLVED_REFS = "ResolvedRefs";

    private RouteStatuses() {
    }

    /** The {@code status.parents} entries of an HTTPRoute or GRPCRoute, in order; empty when there is no status. */
    public static List<ParentStatus> of(HasMetadata route) {
        List<RouteParentStatus> parents = null;
        if (route instanceof HTTPRoute http && http.getStatus() != null) {
            parents = http.getStatus().getParents();
        } else if (route instanceof GRPCRoute grpc && grpc.getStatus() != null) {
            parents = grpc.getStatus().getParents();
        }
        var out = new ArrayList<ParentStatus>();
        if (parents == null) {
            return out;
        }
        var namespace = route.getMetadata().getNamespace();
        for (int i = 0; i < parents.size(); i++) {
            var p = parents.get(i);
            if (p == null || p.getParentRef() == null) {
                continue;
            }
            out.add(new ParentStatus(ParentRef.of(p.getParentRef(), namespace, "status.parents[" + i + "]"),
                    p.getControllerName(), condition(p, ACCEPTED), condition(p, RESOLVED_REFS)));
        }
        return out;
    }

    /** The entries about {@code parent} (one per controller that reports on it). */
    public static List<ParentStatus> about(List<ParentStatus> statuses, ParentRef parent) {
        return statuses.stream().filter(s -> s.parentRef().sameTarget(parent)).toList();
    }

    /**
     * Where {@code theirs} contradicts {@code ours} about the same parentRef: we find it attached and the controller
     * did not accept it, or the reverse. Nothing for a parent we do not judge, a missing {@code Accepted} condition,
     * {@code Unknown}, or a condition written for an older generation than {@code routeGeneration}.
     */
    public static Optional<String> contradiction(Attachment ours, ParentStatus theirs, Long routeGeneration) {
        var accepted = theirs.accepted();
        if (!ours.judged() || accepted == null || accepted.staleFor(routeGeneration)
                || !ours.parent().sameTarget(theirs.parentRef())) {
            return Optional.empty();
        }
        var who = theirs.controllerName() == null ? "its controller" : theirs.controllerName();
        if (ours.attached() && accepted.isFalse()) {
            return Optional.of(who + " reports " + ours.parent().describe() + " Accepted=False (" + accepted.reason()
                    + (accepted.message() == null ? "" : ": " + accepted.message()) + "), but it "
                    + ours.explanation());
        }
        if (ours.detached() && accepted.isTrue()) {
            return Optional.of(who + " reports " + ours.parent().describe() + " Accepted=True, but "
                    + ours.explanation() + " (" + ours.reason().reasonName() + ")");
        }
        return Optional.empty();
    }

    /**
     * Where {@code theirs} contradicts our ReferenceGrant judgement of the route's backendRefs ({@code ours}, every
     * permission of the route): the controller reports {@code ResolvedRefs=False} with {@code RefNotPermitted} while we
     * find every backendRef permitted, or {@code ResolvedRefs=True} while we find one not permitted. Stale or absent
     * conditions say nothing.
     */
    public static Optional<String> refsContradiction(List<Permission> ours, ParentStatus theirs, Long routeGeneration) {
        var resolved = theirs.resolvedRefs();
        if (resolved == null || resolved.staleFor(routeGeneration)) {
            return Optional.empty();
        }
        var who = theirs.controllerName() == null ? "its controller" : theirs.controllerName();
        var refused = ours.stream().filter(p -> !p.permitted()).findFirst();
        if (refused.isEmpty() && resolved.isFalse() && "RefNotPermitted".equals(resolved.reason())) {
            return Optional.of(who + " reports ResolvedRefs=False (RefNotPermitted) for "
                    + theirs.parentRef().describe() + ", but every backendRef is permitted");
        }
        if (refused.isPresent() && resolved.isTrue()) {
            var b = refused.get().backend();
            return Optional.of(who + " reports ResolvedRefs=True for " + theirs.parentRef().describe() + ", but "
                    + b.field() + " -> " + b.target() + " is not permitted: " + refused.get().explanation());
        }
        return Optional.empty();
    }

    private static Condition condition(RouteParentStatus parent, String type) {
        if (parent.getConditions() == null) {
            return null;
        }
        return parent.getConditions().stream().filter(c -> c != null && type.equals(c.getType())).findFirst()
                .map(c -> new Condition(c.getStatus(), c.getReason(), c.getMessage(), c.getObservedGeneration()))
                .orElse(null);
    }
}
