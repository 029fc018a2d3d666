package dev.upstreamguard.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;

/**
 * The API server's own validation, for the mistakes that reach a bundle and make a sync fail before any webhook is
 * asked: a workload selector that does not match its template, an Ingress backend without a port, a Service port
 * without a number or two ports without names, a Service name that is not a DNS label. Not the whole of Kubernetes'
 * validation: only what the guard's kinds carry on their routing path.
 */
public final class ApiValidation {
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_1123_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private ApiValidation() {
    }

    /** What the API server would refuse in this object, one entry per field; empty when it accepts it. */
    public static List<String> problems(HasMetadata o) {
        var out = new ArrayList<String>();
        if (o instanceof Service s) {
            service(s, out);
        } else if (o instanceof Ingress i) {
            name(i, out);
            ingress(i, out);
        } else if (o instanceof Deployment d && d.getSpec() != null) {
            workload(o, d.getSpec().getSelector(), d.getSpec().getTemplate(), out);
        } else if (o instanceof StatefulSet s && s.getSpec() != null) {
            workload(o, s.getSpec().getSelector(), s.getSpec().getTemplate(), out);
        } else if (o instanceof DaemonSet s && s.getSpec() != null) {
            workload(o, s.getSpec().getSelector(), s.getSpec().getTemplate(), out);
        } else if (o instanceof ReplicaSet s && s.getSpec() != null) {
            workload(o, s.getSpec().getSelector(), s.getSpec().getTemplate(), out);
        }
        return out;
    }

    private static void name(HasMetadata o, List<String> out) {
        var name = o.getMetadata().getName();
        if (!DNS_1123_SUBDOMAIN.matcher(name).matches()) {
            out.add("metadata.name \"" + name + "\" is not a lowercase RFC 1123 subdomain");
        }
    }

    private static void workload(HasMetadata o, LabelSelector selector, PodTemplateSpec template, List<String> out) {
        name(o, out);
        if (selector == null || (empty(selector.getMatchLabels()) && (selector.getMatchExpressions() == null
                || selector.getMatchExpressions().isEmpty()))) {
            out.add("spec.selector is required and must not be empty (" + o.getApiVersion() + ")");
            return;
        }
        Map<String, String> labels = template == null || template.getMetadata() == null
                || template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels();
        if (!Selectors.matches(selector, labels)) {
            out.add("spec.selector " + Selectors.describe(selector) + " does not match spec.template.metadata.labels "
                    + labels + ": the API server refuses it (\"selector does not match template labels\")");
        }
        if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null
                || template.getSpec().getContainers().isEmpty()) {
            out.add("spec.template.spec.containers is required");
        }
    }

    private static void service(Service s, List<String> out) {
        var name = s.getMetadata().getName();
        if (!DNS_1035_LABEL.matcher(name).matches()) {
            out.add("metadata.name \"" + name + "\" is not a DNS-1035 label (lowercase letters, digits and '-', "
                    + "starting with a letter, at most 63 characters)");
        }
        var spec = s.getSpec();
        if (spec == null || spec.getPorts() == null) {
            return;
        }
        var names = new HashSet<String>();
        for (int i = 0; i < spec.getPorts().size(); i++) {
            var p = spec.getPorts().get(i);
            if (p.getPort() == null || p.getPort() < 1 || p.getPort() > 65535) {
                out.add("spec.ports[" + i + "].port must be a number from 1 to 65535, not " + p.getPort());
            }
            var portName = p.getName() == null ? "" : p.getName();
            if (spec.getPorts().size() > 1 && portName.isEmpty()) {
                out.add("spec.ports[" + i + "].name is required when a Service has more than one port");
            } else if (!portName.isEmpty() && !names.add(portName)) {
                out.add("spec.ports[" + i + "].name \"" + portName + "\" is used twice");
            }
        }
    }

    private static void ingress(Ingress ingress, List<String> out) {
        var spec = ingress.getSpec();
        if (spec == null || (spec.getDefaultBackend() == null && (spec.getRules() == null || spec.getRules().isEmpty()))) {
            out.add("spec: either defaultBackend or rules must be given");
            return;
        }
        if (spec.getDefaultBackend() != null) {
            backend("spec.defaultBackend", spec.getDefaultBackend(), out);
        }
        if (spec.getRules() == null) {
            return;
        }
        for (int r = 0; r < spec.getRules().size(); r++) {
            var rule = spec.getRules().get(r);
            if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
                continue;
            }
            for (int p = 0; p < rule.getHttp().getPaths().size(); p++) {
                var path = rule.getHttp().getPaths().get(p);
                var field = "spec.rules[" + r + "].http.paths[" + p + "]";
                if (path.getPathType() == null || path.getPathType().isEmpty()) {
                    out.add(field + ".pathType is required (Exact, Prefix or ImplementationSpecific)");
                } else if (!path.getPathType().equals("ImplementationSpecific")
                        && (path.getPath() == null || !path.getPath().startsWith("/"))) {
                    out.add(field + ".path must be an absolute path for pathType " + path.getPathType());
                }
                if (path.getBackend() == null) {
                    out.add(field + ".backend is required");
                } else {
                    backend(field + ".backend", path.getBackend(), out);
                }
            }
        }
    }

    private static void backend(String field, IngressBackend b, List<String> out) {
        if ((b.getService() == null) == (b.getResource() == null)) {
            out.add(field + ": exactly one of service and resource must be given");
            return;
        }
        var service = b.getService();
        if (service == null) {
            return;
        }
        if (service.getName() == null || service.getName().isEmpty()) {
            out.add(field + ".service.name is required");
        }
        var port = service.getPort();
        boolean number = port != null && port.getNumber() != null && port.getNumber() != 0;
        boolean name = port != null && port.getName() != null && !port.getName().isEmpty();
        if (number == name) {
            out.add(field + ".service.port: exactly one of number and name must be given"
                    + (number ? "" : " (it has neither)"));
        } else if (number && (port.getNumber() < 1 || port.getNumber() > 65535)) {
            out.add(field + ".service.port.number must be from 1 to 65535, not " + port.getNumber());
        }
    }

    private static boolean empty(Map<String, String> m) {
        return m == null || m.isEmpty();
    }
}
