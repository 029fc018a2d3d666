package dev.upstreamguard.gateway;

import java.util.ArrayList;
import java.util.List;

import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GRPCRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;

/**
 * What the rules read of an HTTPRoute or GRPCRoute, whichever kind it is: its hostnames, its parentRefs and its
 * backendRefs, defaults applied. Small enough to be the record a cache keeps instead of the whole route.
 *
 * @param ref        the route: {@code HTTPRoute shop/web}
 * @param hostnames  {@code spec.hostnames}, empty when the route names none (it then matches any listener hostname)
 * @param parentRefs {@code spec.parentRefs}, in order (an entry without a name, which the API rejects, is skipped)
 * @param backends   every {@code spec.rules[i].backendRefs[j]}, in order, Services and other kinds alike
 */
public record GatewayRoute(ObjectRef ref, List<String> hostnames, List<ParentRef> parentRefs,
                           List<RouteBackend> backends) {
    /** The Gateway API group: the default group of parentRefs, route kinds and ReferenceGrant {@code from}. */
    public static final String GROUP = "gateway.networking.k8s.io";
    public static final String HTTP_ROUTE = "HTTPRoute";
    public static final String GRPC_ROUTE = "GRPCRoute";

    public GatewayRoute {
        hostnames = List.copyOf(hostnames);
        parentRefs = List.copyOf(parentRefs);
        backends = List.copyOf(backends);
    }

    /** An HTTPRoute or GRPCRoute of {@code gateway.networking.k8s.io/v1}: the kinds this package reads. */
    public static boolean isRoute(HasMetadata object) {
        return object instanceof HTTPRoute || object instanceof GRPCRoute;
    }

    /** Reads an HTTPRoute or a GRPCRoute; anything else is an {@link IllegalArgumentException}. */
    public static GatewayRoute of(HasMetadata route) {
        if (route instanceof HTTPRoute http) {
            return of(http);
        }
        if (route instanceof GRPCRoute grpc) {
            return of(grpc);
        }
        throw new IllegalArgumentException("not an HTTPRoute or GRPCRoute: " + route.getKind());
    }

    public static GatewayRoute of(HTTPRoute route) {
        var ref = refOf(route, HTTP_ROUTE);
        var spec = route.getSpec();
        if (spec == null) {
            return new GatewayRoute(ref, List.of(), List.of(), List.of());
        }
        return new GatewayRoute(ref, hostnames(spec.getHostnames()), parentRefs(spec.getParentRefs(), ref.namespace()),
                BackendRefs.of(ref, firstHost(spec.getHostnames()), spec));
    }

    public static GatewayRoute of(GRPCRoute route) {
        var ref = refOf(route, GRPC_ROUTE);
        var spec = route.getSpec();
        if (spec == null) {
            return new GatewayRoute(ref, List.of(), List.of(), List.of());
        }
        return new GatewayRoute(ref, hostnames(spec.getHostnames()), parentRefs(spec.getParentRefs(), ref.namespace()),
                BackendRefs.of(ref, firstHost(spec.getHostnames()), spec));
    }

    /** {@code HTTPRoute} or {@code GRPCRoute}. */
    public String kind() {
        return ref.kind();
    }

    public String namespace() {
        return ref.namespace();
    }

    /** The backendRefs that name core Services: the ones the route rules judge. */
    public List<RouteBackend> serviceBackends() {
        return backends.stream().filter(RouteBackend::isService).toList();
    }

    /** The parentRefs that name Gateways: the ones whose attachment is judged. */
    public List<ParentRef> gatewayParents() {
        return parentRefs.stream().filter(ParentRef::isGateway).toList();
    }

    private static ObjectRef refOf(HasMetadata route, String kind) {
        var meta = route.getMetadata();
        var namespace = meta.getNamespace() == null || meta.getNamespace().isEmpty() ? "default" : meta.getNamespace();
        return new ObjectRef(kind, namespace, meta.getName());
    }

    private static List<String> hostnames(List<String> hostnames) {
        if (hostnames == null) {
            return List.of();
        }
        return hostnames.stream().filter(h -> h != null && !h.isEmpty()).toList();
    }

    private static String firstHost(List<String> hostnames) {
        var hosts = hostnames(hostnames);
        return hosts.isEmpty() ? null : hosts.get(0);
    }

    private static List<ParentRef> parentRefs(List<ParentReference> refs, String namespace) {
        var out = new ArrayList<ParentRef>();
        if (refs == null) {
            return out;
        }
        for (int i = 0; i < refs.size(); i++) {
            if (refs.get(i) != null && refs.get(i).getName() != null && !refs.get(i).getName().isEmpty()) {
                out.add(ParentRef.of(refs.get(i), namespace, i));
            }
        }
        return out;
    }
}
