package dev.upstreamguard.rules;

import java.util.List;
import java.util.stream.Collectors;

import dev.upstreamguard.cluster.Backend;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
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
        return List.of(); // judged per route: checkRoute
    }

    @Override
    public RouteWalk.Link link() {
        return RouteWalk.Link.PORT;
    }

    @Override
    public boolean judgesRoutesOf(String routeKind) {
        return routeKind.equals("Ingress");
    }

    @Override
    public List<Finding> checkRoute(RouteWalk walk, ClusterView view) {
        var b = walk.backend();
        var service = walk.service();
        var ports = Services.ports(service);
        var has = ports.isEmpty() ? "no ports" : ports.stream().map(Services::describe).collect(Collectors.joining(", "));
        var svc = ObjectRef.of(service);
        var wanted = b.portName() != null ? "no port named \"" + b.portName() + "\"" : "no port " + b.portNumber();
        var message = b.describe() + " -> " + svc + ": " + wanted + " (it has " + has + ").";
        var summary = walk.briefChain() + ": " + wanted + " (it has " + has + ")";
        return List.of(INFO.finding(b.route(), b.routeKey(), summary, message, fix(b, ports), List.of(b.route(), svc)));
    }

    /** The fix for a route that asks a Service for a port it does not expose; Gateway API routes share it. */
    static String fix(Backend b, List<ServicePort> ports) {
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
        // the other usual slip: the targetPort (container port) instead of the Service port
        var viaTarget = ports.stream().filter(p -> Services.targetPortName(p) == null
                && Services.targetPortNumber(p) == b.portNumber()).findFirst();
        if (viaTarget.isPresent()) {
            return "use port " + viaTarget.get().getPort() + " (" + b.portNumber() + " is its targetPort, the "
                    + "container's port), or add port " + b.portNumber() + " to the Service.";
        }
        var numbers = ports.stream().map(p -> String.valueOf(p.getPort())).toList();
        return "use port " + Routes.closestOne(numbers, String.valueOf(b.portNumber())) + ", or add port "
                + b.portNumber() + " to the Service.";
    }
}
