package dev.upstreamguard.cluster;

import java.util.Set;

import dev.upstreamguard.gateway.GatewayRoute;
import dev.upstreamguard.gateway.Grant;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** The Gateway API kinds the guard reads: HTTPRoute, GRPCRoute, Gateway and ReferenceGrant, of group gateway.networking.k8s.io. */
public final class GatewayApi {
    public static final String GROUP = GatewayRoute.GROUP;
    public static final Set<String> KINDS = Set.of(GatewayRoute.HTTP_ROUTE, GatewayRoute.GRPC_ROUTE, "Gateway",
            Grant.KIND);

    private GatewayApi() {
    }

    /** True for an object of one of {@link #KINDS} in the Gateway API group, whatever version and class it came in. */
    public static boolean judged(HasMetadata o) {
        return o != null && KINDS.contains(o.getKind()) && o.getApiVersion() != null
                && o.getApiVersion().startsWith(GROUP + "/");
    }
}
