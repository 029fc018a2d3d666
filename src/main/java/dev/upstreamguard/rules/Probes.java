package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;

/**
 * Where a probe connects: httpGet, tcpSocket and grpc name a port; exec does not. A named port must be declared by
 * the container itself (the kubelet resolves it there, TCP only); a number need not be.
 */
public final class Probes {
    private Probes() {
    }

    /** The port a probe targets, with the field path of the handler ({@code httpGet.port}). */
    public record Target(String handler, IntOrString port) {
        public String name() {
            return port.getStrVal() != null && !port.getStrVal().chars().allMatch(Character::isDigit) ? port.getStrVal() : null;
        }

        public int number() {
            if (port.getIntVal() != null) {
                return port.getIntVal();
            }
            return port.getStrVal() != null && !port.getStrVal().isEmpty() && port.getStrVal().chars().allMatch(Character::isDigit)
                    ? Integer.parseInt(port.getStrVal()) : -1;
        }

        public String describe() {
            return name() != null ? "\"" + name() + "\"" : String.valueOf(number());
        }
    }

    public static Optional<Target> target(Probe probe) {
        if (probe == null) {
            return Optional.empty();
        }
        if (probe.getHttpGet() != null && probe.getHttpGet().getPort() != null) {
            return Optional.of(new Target("httpGet", probe.getHttpGet().getPort()));
        }
        if (probe.getTcpSocket() != null && probe.getTcpSocket().getPort() != null) {
            return Optional.of(new Target("tcpSocket", probe.getTcpSocket().getPort()));
        }
        if (probe.getGrpc() != null && probe.getGrpc().getPort() != null) {
            return Optional.of(new Target("grpc", new IntOrString(probe.getGrpc().getPort())));
        }
        return Optional.empty(); // exec: nothing to resolve
    }

    public static List<ContainerPort> ports(Container c) {
        return c.getPorts() == null ? List.of() : c.getPorts();
    }

    /** {@code 8080/"http", 9090}, or "no ports". */
    public static String declared(Container c) {
        var ports = ports(c);
        if (ports.isEmpty()) {
            return "no ports";
        }
        return ports.stream().map(p -> {
            var s = p.getName() == null || p.getName().isEmpty() ? String.valueOf(p.getContainerPort())
                    : p.getContainerPort() + "/\"" + p.getName() + "\"";
            return p.getProtocol() == null || "TCP".equals(p.getProtocol()) ? s : s + " " + p.getProtocol();
        }).collect(Collectors.joining(", "));
    }

    static List<String> names(Container c) {
        var out = new ArrayList<String>();
        for (var p : ports(c)) {
            if (p.getName() != null && !p.getName().isEmpty()) {
                out.add(p.getName());
            }
        }
        return out;
    }

    static boolean isTcp(ContainerPort p) {
        return p.getProtocol() == null || p.getProtocol().isEmpty() || "TCP".equals(p.getProtocol());
    }
}
