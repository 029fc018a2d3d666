package dev.upstreamguard.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.upstreamguard.audit.AuditReport;
import dev.upstreamguard.audit.Auditor;
import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.cluster.PodSources;
import dev.upstreamguard.policy.Change;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.Mode;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.Severity;
import dev.upstreamguard.rules.Workloads;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/**
 * The cluster once the whole bundle is applied, audited with the webhook's own {@link Auditor}: what is broken at the
 * end on a route the bundle touches, even when every single request was only a warning (an Ingress whose Service
 * never comes). Pods of a workload the bundle replaces are dropped: its new template stands for them, as the rollout
 * will. Settings as the webhook's: a rule switched off or made a warning, a waiver, or mode {@code off} on the object or
 * its namespace keep a finding out.
 */
public final class EndState {
    /** An error-severity finding on a touched subject at the end, and the bundle object it is laid at. */
    public record Broken(BundleObject at, AuditReport.Item finding) {
    }

    private final ClusterIndex index = new ClusterIndex();
    /** Controller uid -> pods it controls ({@code ns/name}), for the pods a replaced workload rolls away. */
    private final Map<String, List<String[]>> podsByController = new HashMap<>();
    private final Map<String, HasMetadata> judged = new HashMap<>();

    /** Adds an object of the cluster as it is before the sync. */
    public void putFromCluster(HasMetadata o) {
        index.put(o);
        if (o instanceof Pod pod && pod.getMetadata().getOwnerReferences() != null) {
            pod.getMetadata().getOwnerReferences().stream().filter(r -> Boolean.TRUE.equals(r.getController()))
                    .forEach(r -> podsByController.computeIfAbsent(r.getUid(), k -> new ArrayList<>())
                            .add(new String[] {pod.getMetadata().getNamespace(), pod.getMetadata().getName()}));
        }
        if (ServedApis.judged(o)) {
            judged.put(ObjectRef.of(o).toString(), o);
        }
    }

    /** Applies the bundle (in the order given, the last write of an object wins) and audits what it touches. */
    public List<Broken> afterApplying(List<BundleObject> bundle, PolicySettings settings, Evaluator evaluator) {
        for (var b : bundle) {
            var o = b.object();
            if (PodSources.WORKLOAD_KINDS.contains(o.getKind())) {
                rollAwayPodsOf(o);
            }
            index.put(o);
            if (ServedApis.judged(o)) {
                judged.put(b.ref().toString(), o);
            }
        }
        var touched = touched(bundle);
        // severity overrides exactly as the webhook and the audit apply them
        var report = new Auditor(evaluator, new Decider(settings)::withConfiguredSeverity)
                .audit(index, false, progress -> { });
        var out = new ArrayList<Broken>();
        for (var item : report.findings()) {
            var at = touched.get(item.subject());
            if (at != null && Severity.ERROR.label().equals(item.severity()) && !keptOut(item)) {
                out.add(new Broken(at, item));
            }
        }
        return out;
    }

    private void rollAwayPodsOf(HasMetadata workload) {
        for (var uid : index.podControllerUids(workload)) {
            for (var pod : podsByController.getOrDefault(uid, List.of())) {
                index.remove(new PodBuilder().withNewMetadata().withNamespace(pod[0]).withName(pod[1]).endMetadata()
                        .build());
            }
        }
    }

    /**
     * Subjects the bundle touches ({@code Kind ns/name} -> the bundle object that touches it): its own objects, the
     * Services its workloads' templates match, and the routes naming its Services and those.
     */
    private Map<String, BundleObject> touched(List<BundleObject> bundle) {
        var out = new LinkedHashMap<String, BundleObject>();
        bundle.forEach(b -> out.put(b.ref().toString(), b));
        for (var b : bundle) {
            var o = b.object();
            var ns = o.getMetadata().getNamespace();
            var services = new ArrayList<String>();
            if (o.getKind().equals("Service")) {
                services.add(o.getMetadata().getName());
            } else if (Workloads.reviewed(o)) {
                for (var s : Workloads.servicesSelecting(o, index)) {
                    services.add(s.getMetadata().getName());
                    out.putIfAbsent(ObjectRef.of(s).toString(), b);
                }
            }
            for (var service : services) {
                index.backendsNaming(ns, service).forEach(backend -> out.putIfAbsent(backend.route().toString(), b));
            }
        }
        return out;
    }

    /** Waived on its subject, or the guard is off for the subject or its namespace. */
    private boolean keptOut(AuditReport.Item item) {
        var subject = Optional.ofNullable(judged.get(item.subject()));
        if (subject.isEmpty()) {
            return false;
        }
        var o = subject.get();
        var change = new Change(null, "UPDATE", ObjectRef.of(o), o, null, null, false, null);
        var waived = Decider.waivers(change);
        if (waived.contains("all") || waived.contains(item.rule())) {
            return true;
        }
        var annotations = o.getMetadata().getAnnotations();
        var mode = annotations == null ? null : annotations.get(Decider.MODE_KEY);
        if (mode == null) {
            mode = index.namespace(o.getMetadata().getNamespace()).map(n -> n.labels().get(Decider.MODE_KEY)).orElse(null);
        }
        return mode != null && Mode.parse(mode).filter(m -> m == Mode.OFF).isPresent();
    }
}
