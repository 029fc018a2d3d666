package dev.upstreamguard.explain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.upstreamguard.cluster.PodSource;
import dev.upstreamguard.cluster.ProbeDecl;
import dev.upstreamguard.cluster.Termination;
import io.fabric8.kubernetes.api.model.ServicePort;

/**
 * Why live pods are not Ready, from what their cached records carry: waiting reasons (CrashLoopBackOff,
 * ImagePullBackOff ...), the last termination (OOMKilled, exit 137), restarts, and the readiness probe of the
 * container behind the Service port. One phrase for the message, and the fix that fits the likeliest cause.
 */
final class PodStates {
    private static final java.util.Set<String> IMAGE = java.util.Set.of("ImagePullBackOff", "ErrImagePull",
            "InvalidImageName", "ErrImageNeverPull");
    private static final java.util.Set<String> CONFIG = java.util.Set.of("CreateContainerConfigError",
            "CreateContainerError", "RunContainerError");

    private final List<PodSource> pods;
    private final ServicePort port;
    private final String namespace;

    PodStates(List<PodSource> pods, ServicePort port, String namespace) {
        this.pods = List.copyOf(pods);
        this.port = port;
        this.namespace = namespace;
    }

    List<PodSource> notReady() {
        return pods.stream().filter(p -> !p.ready()).toList();
    }

    /** {@code 3 waiting in CrashLoopBackOff, container "web" last terminated OOMKilled (exit 137) in 3, 41 restarts}. */
    String reasons(List<PodSource> of) {
        var parts = new ArrayList<String>();
        count(of.stream().filter(p -> p.waiting() != null).map(PodSource::waiting).toList())
                .forEach((reason, n) -> parts.add(n + " waiting in " + reason));
        count(of.stream().filter(p -> p.lastTermination() != null).map(p -> "container \""
                + p.lastTermination().container() + "\" last terminated " + p.lastTermination().describe()).toList())
                .forEach((what, n) -> parts.add(what + (of.size() > 1 ? " in " + n : "")));
        int restarts = of.stream().mapToInt(PodSource::restarts).sum();
        if (restarts > 0) {
            parts.add(restarts + " restart" + (restarts == 1 ? "" : "s"));
        }
        return String.join(", ", parts);
    }

    /** The readiness probe of the container behind the port, on the first pod that has one. */
    java.util.Optional<ProbeDecl> readiness() {
        for (var p : pods) {
            var probe = ServingContainer.of(p, port).readiness(p);
            if (probe.isPresent()) {
                return probe;
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * A readiness probe on a named port that the probed container of a live pod does not declare: the kubelet cannot
     * probe it (pods no reviewed workload stands for, an Argo Rollout's, are judged here rather than by the rule).
     */
    java.util.Optional<String> undeclaredProbePort() {
        for (var p : pods) {
            for (var probe : p.readiness()) {
                if (probe.namedPort() && p.ports().stream().noneMatch(d -> d.container().equals(probe.container())
                        && probe.port().equals(d.name()))) {
                    return java.util.Optional.of("readinessProbe port \"" + probe.port() + "\" of container \""
                            + probe.container() + "\" is not a port that container declares: the kubelet cannot probe "
                            + "it, the pods never become Ready");
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** The fix for the likeliest cause, naming the first pod that is not Ready. */
    String fix() {
        var stuck = notReady();
        if (stuck.isEmpty()) {
            return "";
        }
        var pod = stuck.get(0).ref().name();
        var describe = "kubectl -n " + namespace + " describe pod " + pod;
        var oom = stuck.stream().map(PodSource::lastTermination).filter(t -> t != null
                && "OOMKilled".equals(t.reason())).findFirst();
        if (oom.isPresent()) {
            return "raise the memory limit of container \"" + oom.get().container() + "\" (it was OOMKilled, exit "
                    + oom.get().exitCode() + ") or make it use less; " + describe + " shows the limit.";
        }
        var waiting = stuck.stream().map(PodSource::waiting).filter(w -> w != null).findFirst().orElse(null);
        if (waiting != null && IMAGE.contains(waiting)) {
            return "fix the image reference or its pull secret (" + waiting + "): " + describe + ".";
        }
        if (waiting != null && CONFIG.contains(waiting)) {
            return "a ConfigMap, Secret or setting the container needs is missing or wrong (" + waiting + "): "
                    + describe + ".";
        }
        Termination crashed = stuck.stream().map(PodSource::lastTermination).filter(t -> t != null).findFirst()
                .orElse(null);
        if ("CrashLoopBackOff".equals(waiting) || crashed != null) {
            var container = crashed != null ? crashed.container() : null;
            return "see why it exits" + (crashed != null ? " (last: " + crashed.describe() + ")" : "") + ": kubectl -n "
                    + namespace + " logs " + pod + (container != null ? " -c " + container : "") + " --previous.";
        }
        if (waiting != null) {
            return "the pods are not running yet (" + waiting + "): " + describe + ".";
        }
        var probe = readiness();
        if (undeclaredProbePort().isPresent()) {
            return "point the readiness probe at a port the container declares, or declare that port.";
        }
        if (probe.isPresent()) {
            return "the readiness probe fails: make container \"" + probe.get().container() + "\" answer "
                    + probe.get().describe() + " (" + describe + " shows the probe's last error).";
        }
        return describe + " shows why the pods are not Ready (scheduling, readiness gates, init containers).";
    }

    private static Map<String, Long> count(List<String> values) {
        return values.stream().collect(Collectors.groupingBy(v -> v, LinkedHashMap::new, Collectors.counting()));
    }
}
