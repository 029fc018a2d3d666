package dev.upstreamguard.explain;

import java.util.ArrayList;
import java.util.List;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.PodSource;
import dev.upstreamguard.rules.Finding;
import dev.upstreamguard.rules.LivenessProbePortMissing;
import dev.upstreamguard.rules.ReadinessProbePortMissing;
import dev.upstreamguard.rules.RouteWalk;
import dev.upstreamguard.rules.Services;
import dev.upstreamguard.rules.Severity;
import dev.upstreamguard.rules.StartupProbePortMissing;
import dev.upstreamguard.rules.Workloads;

/**
 * The last hop: how many endpoints behind the Service port are ready, and if none, why. A probe on a port the
 * container does not declare is the webhook's own finding (the workload's probe rules, run on the workloads whose
 * templates the Service selects); otherwise the pods' state says why (CrashLoopBackOff, OOMKilled, a failing probe).
 * Ready endpoints come from the Service's EndpointSlices when the view has them, else from the pods' Ready condition.
 * A view without live pods (manifests) cannot judge readiness, except for a probe that can never succeed.
 */
final class EndpointsHop {
    private static final List<String> PROBE_RULES = List.of(ReadinessProbePortMissing.INFO.id(),
            StartupProbePortMissing.INFO.id(), LivenessProbePortMissing.INFO.id());

    private EndpointsHop() {
    }

    static Hop of(RouteWalk walk, ClusterIndex view, Judge judge, boolean runtimeFacts) {
        var service = walk.service();
        var ns = service.getMetadata().getNamespace();
        var name = service.getMetadata().getName();
        int slices = view.readyEndpoints(ns, name);
        if (!Services.selectsPods(service)) {
            return selectorLess(walk, slices, runtimeFacts);
        }
        var pods = serving(walk);
        var states = new PodStates(pods, walk.port(), ns);
        var probeFindings = probeFindings(walk, view, judge);
        var fatal = probeFindings.stream().filter(f -> f.severity() == Severity.ERROR).findFirst();
        boolean notReadyServed = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        long readyPods = notReadyServed ? pods.size() : pods.stream().filter(PodSource::ready).count();
        long ready = slices >= 0 ? slices : readyPods;
        var probe = probeText(walk, states);
        if (slices < 0 && pods.isEmpty()) {
            if (fatal.isPresent()) {
                return Hop.broken("endpoints", Problem.of(fatal.get()));
            }
            return Hop.notJudged("endpoints", (runtimeFacts ? "no live pods selected" : "no live pods in this view")
                    + ": readiness not judged; " + probe);
        }
        if (ready > 0) {
            var text = readyText(pods, readyPods, slices, notReadyServed, states) + "; " + probe;
            return fatal.map(f -> Hop.warning("endpoints", text + "; new pods of this template never become Ready",
                    Problem.of(f))).orElseGet(() -> Hop.ok("endpoints", text));
        }
        if (fatal.isPresent()) {
            return Hop.broken("endpoints", Problem.of(fatal.get()));
        }
        return Hop.broken("endpoints", podState(walk, pods, states, probeFindings, probe));
    }

    /**
     * The live pods behind the port, by name (the answer names the first one): those that declare a named targetPort,
     * or every live pod for a number.
     */
    private static List<PodSource> serving(RouteWalk walk) {
        var named = Services.targetPortName(walk.port()) != null;
        return walk.sources().stream().filter(PodSource::isLivePod)
                .filter(p -> !named || ServingContainer.of(p, walk.port()).found())
                .sorted(java.util.Comparator.comparing(p -> p.ref().name())).toList();
    }

    /** The workloads' probe findings: a probe on a port the container does not declare. */
    private static List<Finding> probeFindings(RouteWalk walk, ClusterIndex view, Judge judge) {
        var out = new ArrayList<Finding>();
        for (var source : walk.sources()) {
            if (source.isLivePod() || !Workloads.REVIEWED_KINDS.contains(source.ref().kind())) {
                continue;
            }
            var ref = source.ref();
            view.workload(ref.kind(), ref.namespace(), ref.name()).ifPresent(w -> {
                for (var id : PROBE_RULES) {
                    out.addAll(judge.rule(id, w, view));
                }
            });
        }
        return out;
    }

    private static Problem podState(RouteWalk walk, List<PodSource> pods, PodStates states, List<Finding> probeFindings,
                                    String probe) {
        if (pods.isEmpty()) {
            var selector = Services.describeSelector(Services.selector(walk.service()));
            return Problem.error(walk.chain() + ": no ready endpoint: no pod selected by " + selector
                    + " is running (scaled to zero, pending, or not created yet).", "kubectl -n "
                    + walk.service().getMetadata().getNamespace() + " get pods -l " + selector
                    + " shows them; scale the workload up or see why its pods are not created.");
        }
        var stuck = states.notReady();
        var reasons = states.reasons(stuck);
        var undeclared = states.undeclaredProbePort();
        var message = walk.chain() + ": no ready endpoint: " + pods.size() + " pod" + (pods.size() == 1 ? "" : "s")
                + ", none Ready" + (reasons.isEmpty() ? "" : ": " + reasons) + "; " + undeclared.orElse(probe) + ".";
        boolean running = stuck.stream().allMatch(p -> p.waiting() == null && p.lastTermination() == null);
        var portWarning = probeFindings.stream().filter(f -> f.ruleId().equals(ReadinessProbePortMissing.INFO.id()))
                .findFirst();
        if (running && portWarning.isPresent()) {
            // running and never Ready, with a probe on a port the container does not declare: that is why
            return Problem.of(portWarning.get());
        }
        return Problem.error(message, states.fix());
    }

    private static String readyText(List<PodSource> pods, long readyPods, int slices, boolean notReadyServed,
                                    PodStates states) {
        var s = new StringBuilder();
        if (!pods.isEmpty()) {
            s.append(readyPods).append('/').append(pods.size()).append(" pods Ready");
        }
        if (slices >= 0) {
            s.append(s.length() == 0 ? "" : ", ").append("EndpointSlices: ").append(slices).append(" ready");
        }
        if (notReadyServed) {
            s.append(" (publishNotReadyAddresses: every pod gets requests, Ready or not)");
        }
        var stuck = states.notReady();
        if (!notReadyServed && !stuck.isEmpty()) {
            var reasons = states.reasons(stuck);
            s.append("; ").append(stuck.size()).append(" not Ready").append(reasons.isEmpty() ? "" : ": " + reasons);
        }
        return s.toString();
    }

    /** {@code readinessProbe httpGet port "api" path /ready on container "api"}, from the pods or the templates. */
    private static String probeText(RouteWalk walk, PodStates states) {
        var probe = states.readiness();
        if (probe.isEmpty()) {
            var templates = walk.sources().stream().filter(s -> !s.isLivePod()).toList();
            probe = new PodStates(templates, walk.port(), "").readiness();
        }
        return probe.map(p -> "readinessProbe " + p.describe() + " on container \"" + p.container() + "\"")
                .orElse("no readinessProbe on the serving container: Ready as soon as it starts");
    }

    private static Hop selectorLess(RouteWalk walk, int slices, boolean runtimeFacts) {
        var name = walk.service().getMetadata().getName();
        if (slices > 0) {
            return Hop.ok("endpoints", "selector-less Service: EndpointSlices hold " + slices + " ready endpoints");
        }
        if (slices == 0) {
            return Hop.broken("endpoints", Problem.error(walk.chain() + ": no ready endpoint: the selector-less "
                    + "Service's EndpointSlices hold none ready.", "fix whatever writes its EndpointSlices (an "
                    + "operator, a mesh), or give the Service a selector."));
        }
        if (!runtimeFacts) {
            return Hop.notJudged("endpoints", "selector-less Service: its endpoints come from EndpointSlices, none "
                    + "in this view");
        }
        return Hop.broken("endpoints", Problem.error(walk.chain() + ": selector-less Service with no EndpointSlice "
                + "labelled kubernetes.io/service-name=" + name + ": no endpoints.", "create the EndpointSlice (or "
                + "whatever should write it), or give the Service a selector."));
    }
}
