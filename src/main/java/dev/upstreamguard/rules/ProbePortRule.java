package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;

/**
 * A probe on a port the container does not declare. A named port that the container does not declare can never be
 * probed: an error. Everything else is at most a warning: a named port declared only for UDP (the kubelet resolves
 * names whatever the protocol), an undeclared number (containerPort is informational) when the container declares
 * other ports.
 */
abstract class ProbePortRule extends WorkloadRule {
    private final String field;
    private final Function<Container, Probe> probe;
    private final String consequence;

    ProbePortRule(String field, Function<Container, Probe> probe, String consequence) {
        this.field = field;
        this.probe = probe;
        this.consequence = consequence;
    }

    @Override
    public List<Finding> check(HasMetadata workload, ClusterView view) {
        var template = Workloads.template(workload).orElse(null);
        if (template == null) {
            return List.of();
        }
        var out = new ArrayList<Finding>();
        var spec = template.getSpec();
        check(workload, view, spec, spec.getContainers(), "containers", out);
        if (spec.getInitContainers() != null) {
            var sidecars = spec.getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy())).toList();
            check(workload, view, spec, sidecars, "initContainers", out);
        }
        return out;
    }

    private void check(HasMetadata workload, ClusterView view, PodSpec spec, List<Container> containers, String list,
                       List<Finding> out) {
        if (containers == null) {
            return;
        }
        for (var c : containers) {
            var target = Probes.target(probe.apply(c)).orElse(null);
            if (target == null) {
                continue;
            }
            var path = "spec.template.spec." + list + "[" + indexOf(spec, list, c) + "]." + field + "."
                    + target.handler() + ".port";
            var problem = problem(c, target);
            if (problem == null) {
                continue;
            }
            var ref = ObjectRef.of(workload);
            var chain = Workloads.routedService(workload, view).map(s -> Workloads.chainTo(s, view)).orElse("");
            var message = chain + ref + " container \"" + c.getName() + "\" " + path + " " + target.describe() + ": "
                    + problem.text() + " (it declares " + Probes.declared(c) + ")"
                    + (problem.fatal() ? ": " + consequence + "." : ".");
            var summary = ref + " container \"" + c.getName() + "\" " + field + " port " + target.describe() + ": "
                    + problem.brief();
            // keyed by the probe and its port, not the container's name: renaming the container changes nothing here
            var finding = info().finding(ref, field + " " + list + " port " + target.describe(), summary, message,
                    problem.fatal() ? fix(c, target) : problem.fix(), List.of(ref));
            out.add(problem.fatal() ? finding : finding.withSeverity(Severity.WARNING));
        }
    }

    /**
     * What is wrong with a probe's port.
     *
     * @param fatal the probe can never succeed (a named port the container does not declare): an error; else a warning
     */
    private record Problem(String text, String brief, boolean fatal, String fix) {
    }

    /**
     * Null when the probe's port is fine. The kubelet resolves a named probe port by name alone, among the container's
     * own ports, whatever their protocol, and connects over TCP (gRPC over HTTP/2): a name it cannot find fails the
     * probe forever; a name declared only for UDP still resolves (DNS servers declare 53/UDP and serve TCP as well), so
     * that is at most a warning. A number is never required to be declared: at most a warning when the container
     * declares other ports, or declares that one only for another protocol.
     */
    private static Problem problem(Container c, Probes.Target target) {
        var ports = Probes.ports(c);
        if (target.name() != null) {
            var named = ports.stream().filter(p -> target.name().equals(p.getName())).findFirst();
            if (named.isEmpty()) {
                return new Problem("the container declares no port named \"" + target.name() + "\"", "not declared",
                        true, null);
            }
            return Probes.isTcp(named.get()) ? null : new Problem("port \"" + target.name() + "\" is declared for "
                    + named.get().getProtocol() + " and probes connect over TCP; the probe works only if the process "
                    + "also listens on " + named.get().getContainerPort() + "/TCP", "declared for "
                    + named.get().getProtocol() + " only", false, "check the process listens on "
                    + named.get().getContainerPort() + " over TCP too, or probe a TCP port.");
        }
        if (ports.isEmpty()) {
            return null;
        }
        var same = ports.stream().filter(p -> p.getContainerPort() != null && p.getContainerPort() == target.number()).toList();
        if (same.isEmpty()) {
            return new Problem("not among the declared ports", "not among declared ports", false,
                    fix(c, target));
        }
        return same.stream().anyMatch(Probes::isTcp) ? null : new Problem("port " + target.number()
                + " is declared only for " + same.get(0).getProtocol() + " and probes connect over TCP",
                "declared for " + same.get(0).getProtocol() + " only", false, "check the process listens on "
                + target.number() + " over TCP too, or probe a TCP port.");
    }

    private static String fix(Container c, Probes.Target target) {
        var names = Probes.names(c);
        if (target.name() != null && !names.isEmpty()) {
            return "point the probe at a declared port such as \"" + Routes.closestOne(names, target.name())
                    + "\", or name the container port \"" + target.name() + "\".";
        }
        if (target.name() != null) {
            return "declare the port in the container (ports: - name: " + target.name()
                    + ", containerPort: <n>), or probe it by number.";
        }
        return "check the container listens on " + target.number() + " over TCP; declare it as a containerPort, "
                + "or probe the port it serves on.";
    }

    private static int indexOf(PodSpec spec, String list, Container c) {
        var all = list.equals("containers") ? spec.getContainers() : spec.getInitContainers();
        return all.indexOf(c);
    }
}
