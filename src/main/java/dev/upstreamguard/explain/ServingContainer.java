package dev.upstreamguard.explain;

import dev.upstreamguard.cluster.PodSource;
import dev.upstreamguard.cluster.PortDecl;
import dev.upstreamguard.rules.Services;
import io.fabric8.kubernetes.api.model.ServicePort;

/**
 * The container of a pod source behind a Service port: the one that declares the targetPort (by name and protocol, or
 * by number), and its readiness probe. Null members when the pod source declares no such port.
 *
 * @param name  the container's name, or null
 * @param port  the declared port the targetPort lands on, or null
 */
record ServingContainer(String name, PortDecl port) {

    static ServingContainer of(PodSource source, ServicePort servicePort) {
        var named = Services.targetPortName(servicePort);
        var protocol = Services.protocol(servicePort);
        for (var p : source.ports()) {
            boolean same = named != null ? named.equals(p.name())
                    : p.number() == Services.targetPortNumber(servicePort);
            if (same && protocol.equals(p.protocol())) {
                return new ServingContainer(p.container(), p);
            }
        }
        return new ServingContainer(null, null);
    }

    /** True when some container of the source declares the targetPort. */
    boolean found() {
        return name != null;
    }

    /** {@code container "api" port 9090}. */
    String describe() {
        return "container \"" + name + "\" port " + port.describe();
    }

    /** The readiness probe of the serving container, or of the only container probed when none serves by port. */
    java.util.Optional<dev.upstreamguard.cluster.ProbeDecl> readiness(PodSource source) {
        if (name != null) {
            return source.readinessOf(name);
        }
        return source.readiness().size() == 1 ? java.util.Optional.of(source.readiness().get(0))
                : java.util.Optional.empty();
    }
}
