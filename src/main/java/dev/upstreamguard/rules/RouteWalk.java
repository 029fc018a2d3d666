package dev.upstreamguard.rules;

import java.util.List;

import dev.upstreamguard.cluster.Backend;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.PodSource;
import dev.upstreamguard.gateway.ReferenceGrants;
import dev.upstreamguard.gateway.RouteBackend;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

/**
 * One route walked link by link, the same way whatever kind of object wrote it: route -> (another namespace: a
 * ReferenceGrant permits it) -> Service -> Service port -> pod sources -> targetPort. The walk stops at the first broken link ({@link #broken()}); the links after it cannot be
 * judged. This is the one walker every route rule, the audit and {@code explain} share.
 *
 * @param backend the route
 * @param service the Service it names, or null when there is none
 * @param port    the Service port it resolves to, or null (no Service, no such port, or an ExternalName Service)
 * @param sources the pod sources the Service selects (empty when not walked that far)
 * @param broken  the first broken link, or {@link Link#NONE}
 * @param stop    why the walk ended early without a break ("ExternalName", "selector-less", "headless"), or null
 */
public record RouteWalk(Backend backend, Service service, ServicePort port, List<PodSource> sources, Link broken,
                        String stop) {

    /** The links of a route, in the order they are walked. */
    public enum Link {
        /** route -> another namespace: no ReferenceGrant there permits the reference (Gateway API). */
        PERMITTED,
        /** route -> Service: no Service of that name. */
        SERVICE,
        /** -> Service port: the Service does not expose the port the route asks for. */
        PORT,
        /** -> pods: the selector matches no pod source. */
        PODS,
        /** -> container port: a named targetPort no selected container declares (protocol included). */
        TARGET_PORT,
        /** Nothing broken. */
        NONE
    }

    public static RouteWalk walk(Backend b, ClusterView view) {
        if (!b.service().namespace().equals(b.route().namespace())
                && !ReferenceGrants.permission(RouteBackend.of(b), view.referenceGrants(b.service().namespace()))
                .permitted()) {
            return new RouteWalk(b, null, null, List.of(), Link.PERMITTED, null);
        }
        var service = view.service(b.service().namespace(), b.service().name()).orElse(null);
        if (service == null) {
            return new RouteWalk(b, null, null, List.of(), Link.SERVICE, null);
        }
        if (Services.externalName(service)) {
            return new RouteWalk(b, service, null, List.of(), Link.NONE, "ExternalName");
        }
        if (b.portName() == null && b.portNumber() == null) {
            // the API refuses such an Ingress backend; a Gateway API backendRef to a Service requires a port
            return new RouteWalk(b, service, null, List.of(), Link.NONE, "no port named");
        }
        var port = Services.ports(service).stream().filter(p -> b.asksFor(p.getName(), p.getPort())).findFirst()
                .orElse(null);
        if (port == null) {
            return new RouteWalk(b, service, null, List.of(), Link.PORT, null);
        }
        if (!Services.selectsPods(service)) {
            return new RouteWalk(b, service, port, List.of(), Link.NONE, "selector-less");
        }
        var sources = view.podSourcesSelectedBy(service.getMetadata().getNamespace(), Services.selector(service));
        if (sources.isEmpty()) {
            return new RouteWalk(b, service, port, sources, Link.PODS, null);
        }
        if (Services.headless(service)) {
            return new RouteWalk(b, service, port, sources, Link.NONE, "headless");
        }
        var name = Services.targetPortName(port);
        if (name != null && !Services.resolvesByName(sources, name, Services.protocol(port))) {
            return new RouteWalk(b, service, port, sources, Link.TARGET_PORT, null);
        }
        return new RouteWalk(b, service, port, sources, Link.NONE, null);
    }

    /** {@code Ingress shop/web rules[0].http.paths[0] (shop.example.com/api) -> Service shop/web port 80}. */
    public String chain() {
        var s = backend.describe() + " -> " + backend.service();
        return port != null ? s + " port " + Services.describe(port) : s;
    }

    /** The short chain for warnings: {@code Ingress shop/web (shop.example.com/api) -> Service shop/web}. */
    public String briefChain() {
        return backend.brief() + " -> " + backend.service();
    }
}
