package dev.upstreamguard.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/** Turns workloads and pods into {@link PodSource}s. Pure functions over fabric8 model objects. */
public final class PodSources {
    /** The kinds whose pod template is a pod source. */
    public static final Set<String> WORKLOAD_KINDS =
            Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController");

    private PodSources() {
    }

    public static Optional<PodTemplateSpec> template(HasMetadata workload) {
        if (workload instanceof Deployment d && d.getSpec() != null) {
            return Optional.ofNullable(d.getSpec().getTemplate());
        }
        if (workload instanceof StatefulSet s && s.getSpec() != null) {
            return Optional.ofNullable(s.getSpec().getTemplate());
        }
        if (workload instanceof DaemonSet s && s.getSpec() != null) {
            return Optional.ofNullable(s.getSpec().getTemplate());
        }
        if (workload instanceof ReplicaSet s && s.getSpec() != null) {
            return Optional.ofNullable(s.getSpec().getTemplate());
        }
        if (workload instanceof ReplicationController s && s.getSpec() != null) {
            return Optional.ofNullable(s.getSpec().getTemplate());
        }
        return Optional.empty();
    }

    /** {@code spec.replicas}; null when unset (HPA-managed) or for a DaemonSet. */
    public static Integer replicas(HasMetadata workload) {
        if (workload instanceof Deployment d && d.getSpec() != null) {
            return d.getSpec().getReplicas();
        }
        if (workload instanceof StatefulSet s && s.getSpec() != null) {
            return s.getSpec().getReplicas();
        }
        if (workload instanceof ReplicaSet s && s.getSpec() != null) {
            return s.getSpec().getReplicas();
        }
        if (workload instanceof ReplicationController s && s.getSpec() != null) {
            return s.getSpec().getReplicas();
        }
        return null;
    }

    /**
     * True when this workload's controller is itself a workload whose template is counted (a Deployment's ReplicaSet):
     * the controller's template stands for it. A workload controlled by anything else (a Knative Revision, an Argo
     * Rollout, an operator's resource) is a pod source of its own, as Kubernetes sees it.
     */
    public static boolean controlledByCountedWorkload(HasMetadata object) {
        var owners = object.getMetadata().getOwnerReferences();
        if (owners == null) {
            return false;
        }
        for (var o : owners) {
            if (Boolean.TRUE.equals(o.getController()) && WORKLOAD_KINDS.contains(o.getKind())
                    && ("apps/v1".equals(o.getApiVersion()) || "v1".equals(o.getApiVersion()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pod source of a workload: its template when no counted workload controls it and it runs (replicas > 0, or
     * unset: HPA-managed), else empty.
     */
    public static Optional<PodSource> ofWorkload(HasMetadata workload) {
        if (controlledByCountedWorkload(workload)) {
            return Optional.empty();
        }
        var replicas = replicas(workload);
        if (replicas != null && replicas <= 0) {
            return Optional.empty();
        }
        return template(workload).map(t -> {
            var labels = t.getMetadata() == null || t.getMetadata().getLabels() == null
                    ? Map.<String, String>of() : Map.copyOf(t.getMetadata().getLabels());
            return new PodSource(ObjectRef.of(workload), workload.getMetadata().getUid(), labels, ports(t.getSpec()),
                    null, true, 0, null, null, readinessProbes(t.getSpec()));
        });
    }

    /**
     * The reduced record of a live pod: labels, controller, ports, readiness and what {@code explain} says about it (a
     * waiting reason, restarts, the last termination, the readiness probes), nothing else.
     */
    public static PodSource ofPod(Pod pod) {
        var meta = pod.getMetadata();
        String controller = null;
        if (meta.getOwnerReferences() != null) {
            controller = meta.getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController()))
                    .map(o -> shared(o.getUid())).findFirst().orElse(null);
        }
        boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        var labels = sharedLabels(meta.getLabels());
        int restarts = 0;
        String waiting = null;
        Termination terminated = null;
        int mostRestarts = -1;
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
            for (var cs : pod.getStatus().getContainerStatuses()) {
                int n = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
                restarts += n;
                if (waiting == null && cs.getState() != null && cs.getState().getWaiting() != null) {
                    var reason = cs.getState().getWaiting().getReason();
                    waiting = reason == null ? null : reason.intern();
                }
                var t = termination(cs);
                if (t != null && n > mostRestarts) { // the container that restarts most is the one to look at
                    terminated = t;
                    mostRestarts = n;
                }
            }
        }
        var ref = new ObjectRef("Pod", shared(meta.getNamespace()), meta.getName());
        // a pod's uid is not kept: nothing reads it, and it is 80 bytes of each cached pod
        return new PodSource(ref, null, labels, ports(pod.getSpec()), controller, ready, restarts, waiting, terminated,
                readinessProbes(pod.getSpec()));
    }

    /** How the container last ended: its last state, or its current one while it is terminated; null if never. */
    private static Termination termination(ContainerStatus cs) {
        var last = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
        var now = cs.getState() == null ? null : cs.getState().getTerminated();
        var t = last != null ? last : now;
        if (t == null) {
            return null;
        }
        return new Termination(shared(cs.getName()), shared(t.getReason()), t.getExitCode() == null ? 0 : t.getExitCode());
    }

    /** The readiness probe of each container that serves (regular and sidecar), with shared strings. */
    public static List<ProbeDecl> readinessProbes(PodSpec spec) {
        if (spec == null) {
            return List.of();
        }
        List<ProbeDecl> out = null;
        for (var c : containers(spec)) {
            var probe = c.getReadinessProbe();
            if (probe == null) {
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(1);
            }
            out.add(probeDecl(c.getName(), probe));
        }
        return out == null ? List.of() : List.copyOf(out);
    }

    private static ProbeDecl probeDecl(String container, Probe probe) {
        String handler = "exec";
        IntOrString port = null;
        String path = null;
        if (probe.getHttpGet() != null) {
            handler = "httpGet";
            port = probe.getHttpGet().getPort();
            path = probe.getHttpGet().getPath();
        } else if (probe.getTcpSocket() != null) {
            handler = "tcpSocket";
            port = probe.getTcpSocket().getPort();
        } else if (probe.getGrpc() != null) {
            handler = "grpc";
            port = probe.getGrpc().getPort() == null ? null : new IntOrString(probe.getGrpc().getPort());
        }
        String written = null;
        if (port != null) {
            written = port.getIntVal() != null ? String.valueOf(port.getIntVal()) : port.getStrVal();
        }
        return new ProbeDecl(shared(container), handler, shared(written), shared(path));
    }

    /**
     * One copy of the strings that many pods repeat (namespace, labels, controller uid, container and port names):
     * every pod arrives freshly parsed, and without this its copies are half of what a cached pod costs.
     */
    private static String shared(String s) {
        return s == null ? null : s.intern();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> sharedLabels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return Map.of();
        }
        var entries = new Map.Entry[labels.size()];
        int i = 0;
        for (var e : labels.entrySet()) {
            entries[i++] = Map.entry(shared(e.getKey()), shared(e.getValue()));
        }
        return Map.ofEntries(entries);
    }

    /** Every declared port of the regular containers and of sidecar init containers ({@code restartPolicy: Always}). */
    public static List<PortDecl> ports(PodSpec spec) {
        if (spec == null) {
            return List.of();
        }
        var out = new ArrayList<PortDecl>();
        for (var c : containers(spec)) {
            if (c.getPorts() == null) {
                continue;
            }
            for (var p : c.getPorts()) {
                if (p.getContainerPort() != null) {
                    out.add(new PortDecl(shared(c.getName()), shared(p.getName()), p.getContainerPort(),
                            shared(p.getProtocol())));
                }
            }
        }
        return List.copyOf(out);
    }

    /** Regular containers, then sidecar init containers: the ones that serve while the pod runs. */
    public static List<Container> containers(PodSpec spec) {
        var out = new ArrayList<Container>();
        if (spec.getContainers() != null) {
            out.addAll(spec.getContainers());
        }
        if (spec.getInitContainers() != null) {
            for (var c : spec.getInitContainers()) {
                if ("Always".equals(c.getRestartPolicy())) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
