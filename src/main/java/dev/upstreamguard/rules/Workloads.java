package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.Labels;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.cluster.PodSources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;

/** Facts about a reviewed workload (Deployment, StatefulSet, DaemonSet) that the workload rules share. */
public final class Workloads {
    /** The kinds reviewed as workloads; ReplicaSets and ReplicationControllers are only pod sources. */
    public static final Set<String> REVIEWED_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");

    private Workloads() {
    }

    public static boolean reviewed(HasMetadata o) {
        return REVIEWED_KINDS.contains(o.getKind());
    }

    public static Optional<PodTemplateSpec> template(HasMetadata workload) {
        return reviewed(workload) ? PodSources.template(workload).filter(t -> t.getSpec() != null) : Optional.empty();
    }

    public static Map<String, String> templateLabels(HasMetadata workload) {
        return template(workload).map(t -> t.getMetadata() == null || t.getMetadata().getLabels() == null
                ? Map.<String, String>of() : t.getMetadata().getLabels()).orElse(Map.of());
    }

    /** The Services (that select pods) whose selector matches this workload's template. */
    public static List<Service> servicesSelecting(HasMetadata workload, ClusterView view) {
        return servicesSelecting(workload.getMetadata().getNamespace(), templateLabels(workload), view);
    }

    /** The Services (that select pods) in the namespace whose selector matches these pod labels, by name. */
    public static List<Service> servicesSelecting(String namespace, Map<String, String> labels, ClusterView view) {
        if (labels == null || labels.isEmpty()) {
            return List.of();
        }
        var out = new ArrayList<Service>();
        for (var s : view.servicesSelecting(namespace, labels)) {
            if (Services.selectsPods(s) && Labels.matches(Services.selector(s), labels)) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        return out;
    }

    /** The first routed Service selecting this workload, if any: the one messages name. */
    public static Optional<Service> routedService(HasMetadata workload, ClusterView view) {
        return servicesSelecting(workload, view).stream().filter(s -> Routes.routed(view, s)).findFirst();
    }

    /**
     * Routed Services this workload is the only pod source of (ignoring its own live pods, which its template
     * stands for).
     */
    public static List<Service> routedServicesOnlyServedBy(HasMetadata workload, ClusterView view) {
        var ref = ObjectRef.of(workload);
        var controllers = view.podControllerUids(workload);
        var out = new ArrayList<Service>();
        for (var s : servicesSelecting(workload, view)) {
            var ns = s.getMetadata().getNamespace();
            if (!Routes.routed(view, s)) {
                continue;
            }
            // a live pod stands for this workload only when one of its controllers controls it; a bare pod (no
            // controller) is another pod source
            boolean others = view.podSourcesSelectedBy(ns, Services.selector(s)).stream().anyMatch(src ->
                    !src.ref().equals(ref) && !(src.isLivePod() && src.controllerUid() != null
                            && controllers.contains(src.controllerUid())));
            if (!others) {
                out.add(s);
            }
        }
        return out;
    }

    /** {@code Ingress shop/web (shop.example.com/) -> Service shop/web -> } for messages, or "". */
    public static String chainTo(Service service, ClusterView view) {
        if (service == null) {
            return "";
        }
        var svc = ObjectRef.of(service) + " -> ";
        return Routes.leadingTo(Routes.toService(view, service)) + svc;
    }
}
