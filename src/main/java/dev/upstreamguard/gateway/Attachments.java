package dev.upstreamguard.gateway;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.upstreamguard.gateway.Attachment.Reason;
import dev.upstreamguard.gateway.ListenerVerdict.Outcome;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;

/**
 * Whether a route's parentRefs attach to their Gateways, as the spec defines it: the parentRef selects listeners by
 * {@code sectionName} and {@code port} (both must match when both are set; neither: every listener), and a selected
 * listener admits the route when its {@code allowedRoutes} namespaces and kinds allow it and the hostnames intersect.
 * A parentRef attaches when one listener admits it; a route is attached when one parentRef attaches. Parents that are
 * not Gateways (a mesh route's Service) are not judged.
 */
public final class Attachments {
    private Attachments() {
    }

    /**
     * Judges one parentRef of {@code route}. {@code gateways} looks a Gateway up by namespace and name;
     * {@code namespaceLabels} gives a namespace's labels (null or empty when unknown).
     */
    public static Attachment check(GatewayRoute route, ParentRef parent,
                                   BiFunction<String, String, Optional<Gateway>> gateways,
                                   Function<String, Map<String, String>> namespaceLabels) {
        if (!parent.isGateway()) {
            return notAGateway(parent);
        }
        return gateways.apply(parent.namespace(), parent.name())
                .map(g -> against(route, parent, g, namespaceLabels))
                .orElseGet(() -> gatewayNotFound(parent));
    }

    /** Judges every parentRef of {@code route}, in order. */
    public static List<Attachment> all(GatewayRoute route, BiFunction<String, String, Optional<Gateway>> gateways,
                                       Function<String, Map<String, String>> namespaceLabels) {
        return route.parentRefs().stream().map(p -> check(route, p, gateways, namespaceLabels)).toList();
    }

    /**
     * Whether judged parents leave the route unattached: at least one Gateway parentRef, and none attaches. A route
     * with only mesh parents, or none at all, is not ours to call unattached.
     */
    public static boolean unattached(List<Attachment> attachments) {
        return attachments.stream().anyMatch(Attachment::judged) && attachments.stream().noneMatch(Attachment::attached);
    }

    /** Judges {@code parent} against {@code gateway}, which the caller found under the parentRef's namespace/name. */
    public static Attachment against(GatewayRoute route, ParentRef parent, Gateway gateway,
                                     Function<String, Map<String, String>> namespaceLabels) {
        if (!parent.isGateway()) {
            return notAGateway(parent);
        }
        var gw = "Gateway " + gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName();
        var listeners = Listeners.of(gateway);
        var selected = Listeners.selectedBy(parent, listeners);
        if (selected.isEmpty()) {
            return noMatchingParent(parent, gw, listeners);
        }
        var verdicts = selected.stream()
                .map(l -> Listeners.judge(l, gateway.getMetadata().getNamespace(), route, namespaceLabels)).toList();
        if (verdicts.stream().anyMatch(ListenerVerdict::admits)) {
            var through = verdicts.stream().filter(ListenerVerdict::admits).map(v -> "\"" + v.listener() + "\"")
                    .collect(Collectors.joining(", "));
            return new Attachment(parent, Reason.ACCEPTED, verdicts, "attaches to " + gw + " through listener "
                    + through, "");
        }
        var why = gw + ": " + verdicts.stream().map(ListenerVerdict::why).collect(Collectors.joining("; "));
        if (verdicts.stream().allMatch(v -> v.outcome().byAllowedRoutes())) {
            return new Attachment(parent, Reason.NOT_ALLOWED_BY_LISTENERS, verdicts, why,
                    allowedRoutesFix(route, gateway, verdicts));
        }
        return new Attachment(parent, Reason.NO_MATCHING_LISTENER_HOSTNAME, verdicts, why, hostnameFix(route, verdicts));
    }

    /** Names of the listeners of {@code gateway} that {@code route} attaches through, over all its parentRefs to it. */
    public static List<String> listenersAttachedThrough(GatewayRoute route, Gateway gateway,
                                                        Function<String, Map<String, String>> namespaceLabels) {
        var names = new LinkedHashSet<String>();
        for (var parent : route.parentRefs()) {
            if (names(parent, gateway)) {
                names.addAll(against(route, parent, gateway, namespaceLabels).attachedThrough());
            }
        }
        return List.copyOf(names);
    }

    /**
     * The parentRefs of {@code route} to this Gateway that attach under {@code before} and not under {@code after}
     * (null: the Gateway is deleted), each judged against {@code after}: what a Gateway UPDATE detaches. Nothing when
     * {@code before} is null (a CREATE detaches nothing).
     */
    public static List<Attachment> lostOnGatewayChange(GatewayRoute route, Gateway before, Gateway after,
                                                       Function<String, Map<String, String>> namespaceLabels) {
        var out = new ArrayList<Attachment>();
        if (before == null) {
            return out;
        }
        for (var parent : route.parentRefs()) {
            if (!names(parent, before) || !against(route, parent, before, namespaceLabels).attached()) {
                continue;
            }
            var now = after == null ? gatewayNotFound(parent) : against(route, parent, after, namespaceLabels);
            if (!now.attached()) {
                out.add(now);
            }
        }
        return out;
    }

    /** Whether {@code parent} refers to {@code gateway} (by group, kind, namespace and name). */
    public static boolean names(ParentRef parent, Gateway gateway) {
        return parent.isGateway() && parent.namespace().equals(gateway.getMetadata().getNamespace())
                && parent.name().equals(gateway.getMetadata().getName());
    }

    private static Attachment notAGateway(ParentRef parent) {
        var what = parent.group().isEmpty() && "Service".equals(parent.kind())
                ? " (a mesh route's parent), not a Gateway: not judged"
                : ", not a Gateway: not judged";
        return new Attachment(parent, Reason.NOT_A_GATEWAY, List.of(), parent.field() + " names "
                + parent.describe() + what, "");
    }

    private static Attachment gatewayNotFound(ParentRef parent) {
        var gw = "Gateway " + parent.namespace() + "/" + parent.name();
        return new Attachment(parent, Reason.GATEWAY_NOT_FOUND, List.of(), "no " + gw + " exists",
                "create " + gw + ", or point " + parent.field() + " at an existing Gateway.");
    }

    private static Attachment noMatchingParent(ParentRef parent, String gw, List<Listener> listeners) {
        var has = listeners.isEmpty() ? "it has no listeners"
                : "it has " + listeners.stream().map(Listeners::describe).collect(Collectors.joining(", "));
        String wanted;
        String fix;
        var byName = parent.sectionName() == null ? List.<Listener>of()
                : listeners.stream().filter(l -> parent.sectionName().equals(l.getName())).toList();
        if (parent.sectionName() != null && parent.port() != null && !byName.isEmpty()) {
            wanted = "listener \"" + parent.sectionName() + "\" is on port " + byName.get(0).getPort() + ", not "
                    + parent.port();
            fix = "set " + parent.field() + ".port to " + byName.get(0).getPort() + " or drop it.";
        } else if (parent.sectionName() != null) {
            wanted = "no listener named \"" + parent.sectionName() + "\"";
            fix = listeners.isEmpty() ? "add a listener \"" + parent.sectionName() + "\" to " + gw + "."
                    : "set " + parent.field() + ".sectionName to one of " + listeners.stream().map(Listener::getName)
                    .collect(Collectors.joining(", ")) + ", or add a listener \"" + parent.sectionName() + "\" to "
                    + gw + ".";
        } else {
            wanted = "no listener on port " + parent.port();
            fix = listeners.isEmpty() ? "add a listener on port " + parent.port() + " to " + gw + "."
                    : "set " + parent.field() + ".port to one of " + listeners.stream()
                    .map(l -> String.valueOf(l.getPort())).distinct().collect(Collectors.joining(", "))
                    + ", or drop it.";
        }
        return new Attachment(parent, Reason.NO_MATCHING_PARENT, List.of(), gw + " has " + wanted + " (" + has + ")",
                fix);
    }

    private static String allowedRoutesFix(GatewayRoute route, Gateway gateway, List<ListenerVerdict> verdicts) {
        var first = verdicts.get(0);
        var listener = "listener \"" + first.listener() + "\"";
        if (first.outcome() == Outcome.KIND_NOT_ALLOWED) {
            return "add kind " + route.kind() + " to " + listener + " allowedRoutes.kinds, or attach to a listener "
                    + "that admits " + route.kind() + ".";
        }
        return "let " + listener + " admit namespace " + route.namespace() + " (allowedRoutes.namespaces.from: All, "
                + "or a Selector matching its labels), or create the route in namespace "
                + gateway.getMetadata().getNamespace() + ".";
    }

    private static String hostnameFix(GatewayRoute route, List<ListenerVerdict> verdicts) {
        var first = verdicts.stream().filter(v -> v.outcome() == Outcome.HOSTNAME_MISMATCH).findFirst().orElseThrow();
        return "add a hostname that listener \"" + first.listener() + "\" covers to the route's spec.hostnames, or "
                + "change that listener's hostname to cover " + String.join(", ", route.hostnames()) + ".";
    }
}
