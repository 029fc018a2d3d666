package dev.upstreamguard.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantFrom;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantTo;

/**
 * A ReferenceGrant of any served version, read into one shape: {@code v1beta1} and {@code v1alpha2} as fabric8 models
 * them, and {@code v1} (which fabric8 7.5 has no class for, so it arrives as a {@link GenericKubernetesResource}).
 *
 * @param ref  the grant: {@code ReferenceGrant cafe/allow}; it permits references into its own namespace only
 * @param from who may refer: group, kind, namespace (all required by the API)
 * @param to   what may be referred to: group, kind, and a name or null for every object of that kind
 */
public record Grant(ObjectRef ref, List<From> from, List<To> to) {
    public static final String KIND = "ReferenceGrant";

    public Grant {
        from = List.copyOf(from);
        to = List.copyOf(to);
    }

    /** One {@code spec.from[]} entry. */
    public record From(String group, String kind, String namespace) {
    }

    /** One {@code spec.to[]} entry; a null name means every object of the group and kind. */
    public record To(String group, String kind, String name) {
    }

    /** A ReferenceGrant of the Gateway API group, in whichever version and class it arrived. */
    public static boolean isGrant(HasMetadata object) {
        return KIND.equals(object.getKind()) && object.getApiVersion() != null
                && object.getApiVersion().startsWith(GatewayRoute.GROUP + "/");
    }

    /** Reads a ReferenceGrant; anything else is an {@link IllegalArgumentException}. */
    public static Grant of(HasMetadata grant) {
        var ref = new ObjectRef(KIND, grant.getMetadata().getNamespace(), grant.getMetadata().getName());
        if (grant instanceof io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant g) {
            return of(ref, g.getSpec());
        }
        if (grant instanceof io.fabric8.kubernetes.api.model.gatewayapi.v1alpha2.ReferenceGrant g) {
            return of(ref, g.getSpec());
        }
        if (grant instanceof GenericKubernetesResource g && isGrant(g)) {
            return new Grant(ref, entries(g.get("spec", "from"), m -> new From(str(m, "group"), str(m, "kind"),
                    str(m, "namespace"))), entries(g.get("spec", "to"), m -> new To(str(m, "group"), str(m, "kind"),
                    ParentRef.blankToNull(str(m, "name")))));
        }
        throw new IllegalArgumentException("not a ReferenceGrant: " + grant.getApiVersion() + " " + grant.getKind());
    }

    /**
     * Whether this grant lets a {@code routeKind} in {@code routeNamespace} refer to the {@code group}/{@code kind}
     * object {@code name} in the grant's namespace.
     */
    public boolean permits(String routeKind, String routeNamespace, String group, String kind, String name) {
        return from.stream().anyMatch(f -> fromMatches(f, routeKind, routeNamespace))
                && to.stream().anyMatch(t -> toMatches(t, group, kind, name));
    }

    static boolean fromMatches(From f, String routeKind, String routeNamespace) {
        return GatewayRoute.GROUP.equals(f.group()) && routeKind.equals(f.kind())
                && routeNamespace.equals(f.namespace());
    }

    static boolean toMatches(To t, String group, String kind, String name) {
        return group.equals(t.group()) && kind.equals(t.kind()) && (t.name() == null || t.name().equals(name));
    }

    private static Grant of(ObjectRef ref, ReferenceGrantSpec spec) {
        if (spec == null) {
            return new Grant(ref, List.of(), List.of());
        }
        var from = spec.getFrom() == null ? List.<From>of() : spec.getFrom().stream().filter(Objects::nonNull)
                .map(Grant::from).toList();
        var to = spec.getTo() == null ? List.<To>of() : spec.getTo().stream().filter(Objects::nonNull)
                .map(Grant::to).toList();
        return new Grant(ref, from, to);
    }

    private static From from(ReferenceGrantFrom f) {
        return new From(nullToEmpty(f.getGroup()), nullToEmpty(f.getKind()), nullToEmpty(f.getNamespace()));
    }

    private static To to(ReferenceGrantTo t) {
        return new To(nullToEmpty(t.getGroup()), nullToEmpty(t.getKind()), ParentRef.blankToNull(t.getName()));
    }

    private static <T> List<T> entries(Object list, java.util.function.Function<Map<?, ?>, T> read) {
        var out = new ArrayList<T>();
        if (list instanceof List<?> items) {
            for (var item : items) {
                if (item instanceof Map<?, ?> m) {
                    out.add(read.apply(m));
                }
            }
        }
        return out;
    }

    private static String str(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s ? s : "";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
