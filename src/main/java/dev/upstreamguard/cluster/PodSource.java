package dev.upstreamguard.cluster;

import java.util.List;
import java.util.Map;

/**
 * Something that puts pods behind a Service: the pod template of a running top-level workload, or one live pod.
 * Live pods count so that pods of Argo Rollouts, Jobs and operators are seen even though we know nothing of their owner.
 *
 * @param ref             the workload ({@code Deployment shop/web}) or the pod ({@code Pod shop/web-7c9f-x2x})
 * @param uid             a workload's uid (synthetic for manifests without one); null for a live pod
 * @param labels          template labels, or the pod's labels
 * @param ports           every declared container port
 * @param controllerUid   for a live pod, the uid of its controller (a ReplicaSet, a StatefulSet ...); else null
 * @param ready           for a live pod, whether it is Ready; templates are reported as ready
 * @param restarts        for a live pod, its containers' restarts added up (the audit's "why"); 0 for templates
 * @param waiting         for a live pod, a container's waiting reason such as CrashLoopBackOff, else null
 * @param lastTermination for a live pod, how a container last ended (OOMKilled, exit 137), else null
 * @param readiness       the readiness probes of its containers (regular and sidecar), in container order
 */
public record PodSource(ObjectRef ref, String uid, Map<String, String> labels, List<PortDecl> ports,
                        String controllerUid, boolean ready, int restarts, String waiting, Termination lastTermination,
                        List<ProbeDecl> readiness) {

    public PodSource(ObjectRef ref, String uid, Map<String, String> labels, List<PortDecl> ports, String controllerUid,
                     boolean ready) {
        this(ref, uid, labels, ports, controllerUid, ready, 0, null, null, List.of());
    }

    public PodSource(ObjectRef ref, String uid, Map<String, String> labels, List<PortDecl> ports, String controllerUid,
                     boolean ready, int restarts, String waiting) {
        this(ref, uid, labels, ports, controllerUid, ready, restarts, waiting, null, List.of());
    }

    public boolean isLivePod() {
        return "Pod".equals(ref.kind());
    }

    /** True when every selector pair is among the labels. An empty selector matches nothing (the Service API's rule). */
    public boolean matches(Map<String, String> selector) {
        return Labels.matches(selector, labels);
    }

    /** The readiness probe of that container, if it has one. */
    public java.util.Optional<ProbeDecl> readinessOf(String container) {
        return readiness.stream().filter(p -> p.container().equals(container)).findFirst();
    }
}
