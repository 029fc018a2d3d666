package dev.upstreamguard.gateway;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.upstreamguard.gateway.ListenerVerdict.Outcome;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;

/**
 * Gateway listeners against one route: which ones a parentRef selects ({@code sectionName}, {@code port}) and whether
 * each admits the route ({@code allowedRoutes.namespaces}, {@code allowedRoutes.kinds}, hostname).
 */
public final class Listeners {
    /** Set by the API server on every Namespace (Kubernetes 1.21+), so selectors may use it though manifests omit it. */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private Listeners() {
    }

    /** The Gateway's listeners, without null entries. */
    public static List<Listener> of(Gateway gateway) {
        if (gateway.getSpec() == null || gateway.getSpec().getListeners() == null) {
            return List.of();
        }
        return gateway.getSpec().getListeners().stream().filter(Objects::nonNull).toList();
    }

    /** The listeners {@code parent} selects: by name when it has a sectionName, by port when it has one, else all. */
    public static List<Listener> selectedBy(ParentRef parent, List<Listener> listeners) {
        return listeners.stream()
                .filter(l -> parent.sectionName() == null || parent.sectionName().equals(l.getName()))
                .filter(l -> parent.port() == null || parent.port().equals(l.getPort()))
                .toList();
    }

    /**
     * Whether {@code listener} of a Gateway in {@code gatewayNamespace} admits {@code route}; {@code namespaceLabels}
     * gives a namespace's labels (null or empty when unknown).
     */
    public static ListenerVerdict judge(Listener listener, String gatewayNamespace, GatewayRoute route,
                                        Function<String, Map<String, String>> namespaceLabels) {
        var name = listener.getName();
        var refusal = namespaceRefusal(listener, gatewayNamespace, route.namespace(), namespaceLabels);
        if (refusal != null) {
            return new ListenerVerdict(name, listener.getPort(), Outcome.NAMESPACE_NOT_ALLOWED, refusal);
        }
        refusal = kindRefusal(listener, route.kind());
        if (refusal != null) {
            return new ListenerVerdict(name, listener.getPort(), Outcome.KIND_NOT_ALLOWED, refusal);
        }
        if (usesHostname(listener) && !Hostnames.listenerMatches(listener.getHostname(), route.hostnames())) {
            return new ListenerVerdict(name, listener.getPort(), Outcome.HOSTNAME_MISMATCH, "listener \"" + name
                    + "\" hostname " + listener.getHostname() + " matches none of the route's hostnames ("
                    + String.join(", ", route.hostnames()) + ")");
        }
        return new ListenerVerdict(name, listener.getPort(), Outcome.ADMITS, null);
    }

    /**
     * The route kinds a listener admits when {@code allowedRoutes.kinds} is unset, by protocol: HTTP and HTTPS admit
     * HTTPRoute and GRPCRoute, TLS TLSRoute, TCP TCPRoute, UDP UDPRoute. Null for any other protocol: an
     * implementation-specific protocol's kinds are the implementation's, and it is not ours to refuse them.
     */
    public static Set<String> defaultKinds(String protocol) {
        return switch (protocol == null ? "" : protocol.toUpperCase(Locale.ROOT)) {
            case "HTTP", "HTTPS" -> Set.of(GatewayRoute.HTTP_ROUTE, GatewayRoute.GRPC_ROUTE);
            case "TLS" -> Set.of("TLSRoute");
            case "TCP" -> Set.of("TCPRoute");
            case "UDP" -> Set.of("UDPRoute");
            default -> null;
        };
    }

    /** {@code http :80} / {@code http :80 *.example.com}: a listener the way messages list them. */
    public static String describe(Listener listener) {
        var host = listener.getHostname() == null || listener.getHostname().isEmpty() ? "" : " " + listener.getHostname();
        return listener.getName() + " :" + listener.getPort() + host;
    }

    private static String namespaceRefusal(Listener listener, String gatewayNamespace, String routeNamespace,
                                           Function<String, Map<String, String>> namespaceLabels) {
        var allowed = listener.getAllowedRoutes();
        var namespaces = allowed == null ? null : allowed.getNamespaces();
        var from = namespaces == null || namespaces.getFrom() == null ? "Same" : namespaces.getFrom();
        var name = "listener \"" + listener.getName() + "\"";
        switch (from) {
            case "All":
                return null;
            case "Same":
                return routeNamespace.equals(gatewayNamespace) ? null : name + " admits routes from namespace "
                        + gatewayNamespace + " only (allowedRoutes.namespaces.from: Same), not " + routeNamespace;
            case "Selector":
                var selector = namespaces.getSelector();
                if (selector == null) {
                    return name + " has allowedRoutes.namespaces.from: Selector without a selector: it admits no "
                            + "namespace";
                }
                var labels = labelsOf(routeNamespace, namespaceLabels);
                if (LabelSelectors.matches(selector, labels)) {
                    return null;
                }
                return name + " admits routes from namespaces matching " + LabelSelectors.describe(selector)
                        + " only (from: Selector); namespace " + routeNamespace + " has "
                        + shown(labels, LabelSelectors.keys(selector));
            case "None":
                return name + " admits no routes (allowedRoutes.namespaces.from: None)";
            default:
                return name + " has allowedRoutes.namespaces.from: " + from + ", which admits no namespace";
        }
    }

    private static String kindRefusal(Listener listener, String routeKind) {
        var kinds = listener.getAllowedRoutes() == null ? null : listener.getAllowedRoutes().getKinds();
        var name = "listener \"" + listener.getName() + "\"";
        if (kinds == null || kinds.stream().noneMatch(Objects::nonNull)) {
            var defaults = defaultKinds(listener.getProtocol());
            if (defaults == null || defaults.contains(routeKind)) {
                return null;
            }
            return name + " (protocol " + listener.getProtocol() + ") admits " + String.join(", ", defaults.stream()
                    .sorted().toList()) + " only, not " + routeKind;
        }
        if (kinds.stream().filter(Objects::nonNull).anyMatch(k -> admitsKind(k, routeKind))) {
            return null;
        }
        return name + " admits " + kinds.stream().filter(Objects::nonNull).map(Listeners::describe)
                .collect(Collectors.joining(", ")) + " only (allowedRoutes.kinds), not " + routeKind;
    }

    private static boolean admitsKind(RouteGroupKind k, String routeKind) {
        var group = k.getGroup() == null ? GatewayRoute.GROUP : k.getGroup();
        return GatewayRoute.GROUP.equals(group) && routeKind.equals(k.getKind());
    }

    private static String describe(RouteGroupKind k) {
        var group = k.getGroup() == null ? GatewayRoute.GROUP : k.getGroup();
        return GatewayRoute.GROUP.equals(group) ? k.getKind() : k.getKind() + "." + (group.isEmpty() ? "\"\"" : group);
    }

    /** TCP and UDP listeners ignore their hostname (the spec: the field is ignored where the protocol has none). */
    private static boolean usesHostname(Listener listener) {
        var protocol = listener.getProtocol() == null ? "" : listener.getProtocol().toUpperCase(Locale.ROOT);
        return !protocol.equals("TCP") && !protocol.equals("UDP");
    }

    static Map<String, String> labelsOf(String namespace, Function<String, Map<String, String>> namespaceLabels) {
        var known = namespaceLabels.apply(namespace);
        var labels = new HashMap<String, String>(known == null ? Map.of() : known);
        labels.putIfAbsent(NAMESPACE_NAME_LABEL, namespace);
        return labels;
    }

    /** {@code env=dev, no label team}: the labels a selector reads, as the namespace has them. */
    private static String shown(Map<String, String> labels, Set<String> keys) {
        return keys.stream().map(k -> labels.containsKey(k) ? k + "=" + labels.get(k) : "no label " + k)
                .collect(Collectors.joining(", "));
    }
}
