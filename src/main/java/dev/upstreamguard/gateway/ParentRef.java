package dev.upstreamguard.gateway;

import java.util.Objects;

import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;

/**
 * One {@code spec.parentRefs[]} entry of a route with the spec's defaults applied: group
 * {@code gateway.networking.k8s.io}, kind {@code Gateway}, namespace the route's.
 *
 * @param field       where it sits in the route: {@code parentRefs[0]}
 * @param group       the parent's API group; {@code ""} is the core group (a mesh route's Service parent)
 * @param kind        the parent's kind
 * @param namespace   the parent's namespace
 * @param name        the parent's name
 * @param sectionName the listener name it asks for, or null for any listener
 * @param port        the listener port it asks for, or null for any port
 */
public record ParentRef(String field, String group, String kind, String namespace, String name, String sectionName,
                        Integer port) {

    /** Normalises {@code ref}, the {@code index}-th parentRef of a route in {@code routeNamespace}. */
    public static ParentRef of(ParentReference ref, String routeNamespace, int index) {
        return of(ref, routeNamespace, "parentRefs[" + index + "]");
    }

    /** Normalises {@code ref} found at {@code field} of a route in {@code routeNamespace}. */
    public static ParentRef of(ParentReference ref, String routeNamespace, String field) {
        var group = ref.getGroup() == null ? GatewayRoute.GROUP : ref.getGroup();
        var kind = blankToNull(ref.getKind()) == null ? "Gateway" : ref.getKind();
        var namespace = blankToNull(ref.getNamespace()) == null ? routeNamespace : ref.getNamespace();
        var port = ref.getPort() == null || ref.getPort() == 0 ? null : ref.getPort();
        return new ParentRef(field, group, kind, namespace, ref.getName(), blankToNull(ref.getSectionName()), port);
    }

    /** A Gateway of the Gateway API group: the only parent whose attachment this package judges. */
    public boolean isGateway() {
        return GatewayRoute.GROUP.equals(group) && "Gateway".equals(kind);
    }

    /** The parent object: {@code Gateway infra/gw}, or {@code Service shop/reviews} for a mesh route. */
    public ObjectRef target() {
        return new ObjectRef(kind, namespace, name);
    }

    /** Same parent and same section and port, whatever the field: how a {@code status.parents[]} entry is matched. */
    public boolean sameTarget(ParentRef other) {
        return group.equals(other.group) && kind.equals(other.kind) && Objects.equals(namespace, other.namespace)
                && Objects.equals(name, other.name) && Objects.equals(sectionName, other.sectionName)
                && Objects.equals(port, other.port);
    }

    /** {@code Gateway infra/gw}, with {@code listener "http"} and {@code port 80} when the ref asks for them. */
    public String describe() {
        var s = new StringBuilder(group.isEmpty() || GatewayRoute.GROUP.equals(group) ? kind : kind + "." + group);
        s.append(' ').append(namespace).append('/').append(name);
        if (sectionName != null) {
            s.append(isGateway() ? " listener \"" : " section \"").append(sectionName).append('"');
        }
        if (port != null) {
            s.append(" port ").append(port);
        }
        return s.toString();
    }

    static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
