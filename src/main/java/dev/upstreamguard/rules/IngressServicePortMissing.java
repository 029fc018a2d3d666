package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import dev.upstreamguard.cluster.Backend;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.IngressBackends;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * An Ingress backend asks for a port its Service does not expose. A port name never matches an unnamed Service
 * port (other tools compare {@code "" == ""} and miss this).
 */
public final class IngressServicePortMissing extends IngressRule {
    public static final RuleInfo INFO = new RuleInfo("ingress-service-port-missing", Severity.ERROR,
            "Ingress backend asks for a port the Service does not expose",
            "ingress-nginx finds no endpoints for a port the Service does not have: the route answers 503/502 "
                    + "even though the Service and its pods are healthy.",
            "Use a port number or name the Service exposes, or add that port to the Service.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> check(Ingress ingress, ClusterView view) {
        var out = new ArrayList<Finding>();
        var ns = ingress.getMetadata().getNamespace();
        for (var b : IngressBackends.of(ingress)) {
            var service = view.service(ns, b.service()).orElse(null);
            if (service == null || Services.externalName(service) || exposes(service, b)) {
                continue; // missing Service: another rule; ExternalName: nginx uses the port as given
            }
            out.add(finding(b, service));
        }
        return out;
    }

    private static boolean exposes(Service service, Backend b) {
        if (b.portName() == null && b.portNumber() == null) {
            return true; // the API rejects such a backend; nothing for us to judge
        }
        for (var p : Services.ports(service)) {
            if (b.portName() != null ? b.portName().equals(p.getName()) : Objects.equals(b.portNumber(), p.getPort())) {
                return true;
            }
        }
        return false;
    }

    private static Finding finding(Backend b, Service service) {
        var ports = Services.ports(service);
        var has = ports.isEmpty() ? "no ports" : ports.stream().map(Services::describe).collect(Collectors.joining(", "));
        var svc = ObjectRef.of(service);
        var wanted = b.portName() != null ? "no port named \"" + b.portName() + "\"" : "no port " + b.portNumber();
        var message = b.ingress() + " " + b.field() + " (" + b.where() + ") -> " + svc + ": " + wanted
                + " (it has " + has + ").";
        var summary = b.ingress() + " (" + b.where() + ") -> " + svc + ": " + wanted + " (it has " + has + ")";
        return INFO.finding(b.ingress(), b.routeKey(), summary, message, fix(b, ports), List.of(b.ingress(), svc));
    }

    private static String fix(Backend b, List<ServicePort> ports) {
        if (ports.isEmpty()) {
            return "add a port to the Service.";
        }
        if (b.portName() != null) {
            var named = ports.stream().map(ServicePort::getName).filter(n -> n != null && !n.isEmpty()).toList();
            if (named.isEmpty()) {
                return "use port number " + ports.get(0).getPort() + " (the Service's ports have no names), or name a "
                        + "Service port \"" + b.portName() + "\".";
            }
            // the usual slip: the container port's name (the Service's targetPort) instead of the Service port's
            var viaTarget = ports.stream().filter(p -> b.portName().equals(Services.targetPortName(p)))
                    .map(ServicePort::getName).filter(n -> n != null && !n.isEmpty()).findFirst();
            var suggestion = viaTarget.orElseGet(() -> Routes.closestOne(named, b.portName()));
            return "use port \"" + suggestion + "\", or name a Service port \"" + b.portName() + "\".";
        }
        var numbers = ports.stream().map(p -> String.valueOf(p.getPort())).toList();
        return "use port " + Routes.closestOne(numbers, String.valueOf(b.portNumber())) + ", or add port "
                + b.portNumber() + " to the Service.";
    }
}
