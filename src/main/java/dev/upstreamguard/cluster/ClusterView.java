package dev.upstreamguard.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import dev.upstreamguard.gateway.Grant;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;

/**
 * Read-only domain queries over the cluster, the only thing rules see. Every query is an index lookup, never a
 * scan of the cluster. A live view may lag the API server by the watch events still in flight.
 */
public interface ClusterView {

    /** False until every source of the view has been listed once; a view that is not synced must not deny. */
    boolean synced();

    Optional<Service> service(String namespace, String name);

    List<Service> servicesIn(String namespace);

    Optional<Ingress> ingress(String namespace, String name);

    /**
     * Every route that names this Service, whatever its kind and namespace (an Ingress backend, a Gateway API
     * backendRef): whether it resolves to one of the Service's ports is for the caller to judge, per port.
     */
    List<Backend> backendsNaming(String namespace, String service);

    /**
     * Candidates for the Services in the namespace whose selector matches pods with these labels: every such Service,
     * and possibly others whose selector shares a label pair with them (callers check the whole selector). Found
     * through an index, never by scanning the namespace.
     */
    List<Service> servicesSelecting(String namespace, Map<String, String> labels);

    /** Pod templates of running top-level workloads and live pods whose labels match the selector. */
    List<PodSource> podSourcesSelectedBy(String namespace, Map<String, String> selector);

    Optional<NamespaceState> namespace(String name);

    /** A Deployment, StatefulSet, DaemonSet, ReplicaSet or ReplicationController by kind and name. */
    Optional<HasMetadata> workload(String kind, String namespace, String name);

    /** The uids that control this workload's live pods: its own, and those of the ReplicaSets it owns. */
    Set<String> podControllerUids(HasMetadata workload);

    /** True when an EndpointSlice labelled {@code kubernetes.io/service-name} exists for the Service. */
    boolean hasEndpointSlices(String namespace, String service);

    List<IngressClass> ingressClasses();

    /**
     * Every Ingress, in any namespace (nginx serves a host across namespaces), with a rule on this host that has HTTP
     * paths; {@link IngressHosts#ANY_HOST} for rules without a host. In no particular order.
     */
    List<Ingress> ingressesClaimingHost(String host);

    // ---- Gateway API: empty where the cluster does not serve it ------------------------------------------------

    /** An HTTPRoute, GRPCRoute, Gateway or ReferenceGrant by kind and name. */
    Optional<HasMetadata> gatewayApiObject(String kind, String namespace, String name);

    /** The HTTPRoutes and GRPCRoutes whose {@code parentRefs} name this Gateway (attached or not). */
    List<HasMetadata> routesNaming(String gatewayNamespace, String gateway);

    /** The HTTPRoutes and GRPCRoutes of other namespaces with a backendRef into this one (which a grant must permit). */
    List<HasMetadata> routesInto(String namespace);

    /** The ReferenceGrants of a namespace: what routes of other namespaces may refer to in it. */
    List<Grant> referenceGrants(String namespace);

    /** The Gateway of that name, if present. */
    default Optional<Gateway> gateway(String namespace, String name) {
        return gatewayApiObject("Gateway", namespace, name).map(Gateway.class::cast);
    }

    /** The object a ref names, of any kind the view holds by name, if present. */
    default Optional<HasMetadata> object(ObjectRef ref) {
        return switch (ref.kind()) {
            case "Service" -> service(ref.namespace(), ref.name()).map(HasMetadata.class::cast);
            case "Ingress" -> ingress(ref.namespace(), ref.name()).map(HasMetadata.class::cast);
            case "HTTPRoute", "GRPCRoute", "Gateway", "ReferenceGrant" ->
                    gatewayApiObject(ref.kind(), ref.namespace(), ref.name());
            default -> workload(ref.kind(), ref.namespace(), ref.name());
        };
    }

    /**
     * Runs {@code work} against one state of the view: no write lands while it runs, so the before and after views of
     * one review never see two different clusters. Keep {@code work} short (it holds the writers back); no I/O.
     */
    default <T> T consistent(java.util.function.Supplier<T> work) {
        return work.get();
    }

    /** The view after {@code replacement} is created or updated: an overlay, nothing is copied. */
    default ClusterView with(HasMetadata replacement) {
        return new OverlayView(this, ObjectRef.of(replacement), replacement);
    }

    /** The view after the object is deleted. */
    default ClusterView without(ObjectRef removed) {
        return new OverlayView(this, removed, null);
    }
}
