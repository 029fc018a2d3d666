package dev.upstreamguard.rules;

import java.util.Map;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

/** Facts about a Service that several rules need. */
public final class Services {
    private Services() {
    }

    /** ExternalName and selector-less Services are not judged on pods: something else provides their endpoints. */
    public static boolean selectsPods(Service s) {
        var spec = s.getSpec();
        return spec != null && !"ExternalName".equals(spec.getType()) && spec.getSelector() != null
                && !spec.getSelector().isEmpty();
    }

    /** {@code clusterIP: None}: the API ignores targetPort there. */
    public static boolean headless(Service s) {
        return s.getSpec() != null && "None".equals(s.getSpec().getClusterIP());
    }

    public static boolean externalName(Service s) {
        return s.getSpec() != null && "ExternalName".equals(s.getSpec().getType());
    }

    public static Map<String, String> selector(Service s) {
        return s.getSpec() == null || s.getSpec().getSelector() == null ? Map.of() : s.getSpec().getSelector();
    }

    public static java.util.List<ServicePort> ports(Service s) {
        return s.getSpec() == null || s.getSpec().getPorts() == null ? java.util.List.of() : s.getSpec().getPorts();
    }

    /** The targetPort as a name, or null when it is a number (or unset: it defaults to the port). */
    public static String targetPortName(ServicePort p) {
        IntOrString t = p.getTargetPort();
        if (t == null || t.getStrVal() == null || t.getStrVal().isEmpty()) {
            return null;
        }
        return t.getStrVal().chars().allMatch(Character::isDigit) ? null : t.getStrVal();
    }

    /** The targetPort as a number: explicit, a numeric string, or defaulted to the port. */
    public static int targetPortNumber(ServicePort p) {
        IntOrString t = p.getTargetPort();
        if (t != null && t.getIntVal() != null) {
            return t.getIntVal();
        }
        if (t != null && t.getStrVal() != null && !t.getStrVal().isEmpty()
                && t.getStrVal().chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(t.getStrVal());
        }
        return p.getPort() == null ? 0 : p.getPort();
    }

    public static String protocol(ServicePort p) {
        return p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
    }

    /** {@code 80/"web"} or {@code 80}. */
    public static String describe(ServicePort p) {
        var s = p.getName() == null || p.getName().isEmpty() ? String.valueOf(p.getPort())
                : p.getPort() + "/\"" + p.getName() + "\"";
        return "TCP".equals(protocol(p)) ? s : s + " " + protocol(p);
    }

    /** {@code spec.ports[0] (80/"web")}, for messages. */
    public static String portField(Service s, ServicePort p) {
        return "spec.ports[" + ports(s).indexOf(p) + "] (" + describe(p) + ")";
    }

    /** A port's identity within its Service: its name, or its number when it has none. */
    public static String portKey(ServicePort p) {
        return p.getName() != null && !p.getName().isEmpty() ? p.getName() : String.valueOf(p.getPort());
    }

    /** The port whose {@link #portKey} is {@code key}, if the Service has it. */
    public static java.util.Optional<ServicePort> port(Service s, String key) {
        return ports(s).stream().filter(p -> portKey(p).equals(key)).findFirst();
    }

    /**
     * True when a selected container declares a port of that name and protocol: the EndpointSlice controller resolves
     * a named targetPort per pod, protocol included.
     */
    public static boolean resolvesByName(java.util.List<dev.upstreamguard.cluster.PodSource> sources, String name,
                                         String protocol) {
        for (var s : sources) {
            for (var p : s.ports()) {
                if (name.equals(p.name()) && protocol.equals(p.protocol())) {
                    return true;
                }
            }
        }
        return false;
    }

    public static String describeSelector(Map<String, String> selector) {
        return selector.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
