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
 * A probe on a port the container does not declare. A named port that the container does not declare (or declares
 * for UDP) can never be probed: an error. An undeclared number is at most a warning, since containerPort is
 * informational — and only when the container declares other ports.
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
                    + problem + " (it declares " + Probes.declared(c) + ")" + (problem.startsWith("not among")
                    ? "." : ": " + consequence + ".");
            var summary = ref + " container \"" + c.getName() + "\" " + field + " port " + target.describe() + ": "
                    + (target.name() != null ? "not declared" : "not among declared ports");
            var finding = info().finding(ref, c.getName() + "." + field, summary, message, fix(c, target), List.of(ref));
            out.add(target.name() == null && problem.startsWith("not among") ? finding.withSeverity(Severity.WARNING)
                    : finding);
        }
    }

    /** Null when the probe's port is fine. */
    private static String problem(Container c, Probes.Target target) {
        var ports = Probes.ports(c);
        if (target.name() != null) {
            var named = ports.stream().filter(p -> target.name().equals(p.getName())).findFirst();
            if (named.isEmpty()) {
                return "the container declares no port named \"" + target.name() + "\"";
            }
            return Probes.isTcp(named.get()) ? null : "port \"" + target.name() + "\" is declared for "
                    + named.get().getProtocol() + ", probes connect over TCP";
        }
        if (ports.isEmpty()) {
            return null;
        }
        var same = ports.stream().filter(p -> p.getContainerPort() != null && p.getContainerPort() == target.number()).toList();
        if (same.isEmpty()) {
            return "not among the declared ports";
        }
        return same.stream().anyMatch(Probes::isTcp) ? null
                : "port " + target.number() + " is declared only for " + same.get(0).getProtocol() + ", probes connect over TCP";
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
