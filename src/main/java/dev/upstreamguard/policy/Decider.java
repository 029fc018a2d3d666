package dev.upstreamguard.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.upstreamguard.cluster.Backend;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.cluster.PodSources;
import dev.upstreamguard.cluster.RouteBackends;
import dev.upstreamguard.gateway.Grant;
import dev.upstreamguard.rules.Evaluator.Evaluation;
import dev.upstreamguard.rules.Finding;
import dev.upstreamguard.rules.IngressServiceMissing;
import dev.upstreamguard.rules.IngressServicePortMissing;
import dev.upstreamguard.rules.RouteBackendMissing;
import dev.upstreamguard.rules.RouteBackendNotPermitted;
import dev.upstreamguard.rules.RouteBackendPortMissing;
import dev.upstreamguard.rules.RouteNotAttached;
import dev.upstreamguard.rules.Routes;
import dev.upstreamguard.rules.RuleCatalog;
import dev.upstreamguard.rules.RuleInfo;
import dev.upstreamguard.rules.ServiceSelectsNothing;
import dev.upstreamguard.rules.ServiceTargetPortMissing;
import dev.upstreamguard.rules.Severity;
import dev.upstreamguard.rules.WorkloadScaledToZero;

/**
 * The decision table of DESIGN §2: turns the findings of the before and after views into one decision. Rules never
 * know the mode; this class never looks at how a finding was found. Deny only what is wrong whatever comes next in
 * the same sync, or what causes an outage as long as a rollout.
 */
public final class Decider {
    public static final String MODE_KEY = "upstream-guard.dev/mode";
    public static final String SKIP_KEY = "upstream-guard.dev/skip";

    private final PolicySettings settings;

    public Decider(PolicySettings settings) {
        this.settings = settings;
    }

    public PolicySettings settings() {
        return settings;
    }

    /** The mode for this object: its annotation, else its namespace's label, else the global mode. */
    public Mode modeFor(Change change, ClusterView view, List<String> notices) {
        var meta = change.current().getMetadata();
        var annotation = meta.getAnnotations() == null ? null : meta.getAnnotations().get(MODE_KEY);
        if (annotation != null) {
            var m = Mode.parse(annotation);
            if (m.isPresent()) {
                return m.get();
            }
            notices.add("[upstream-guard] annotation " + MODE_KEY + "=\"" + annotation
                    + "\" is not enforce, warn or off; ignored");
        }
        var ns = view.namespace(change.ref().namespace());
        var label = ns.map(n -> n.labels().get(MODE_KEY)).orElse(null);
        if (label != null) {
            var m = Mode.parse(label);
            if (m.isPresent()) {
                return m.get();
            }
            notices.add("[upstream-guard] namespace label " + MODE_KEY + "=\"" + label + "\" is not valid; ignored");
        }
        return settings.mode();
    }

    /** Rule ids waived by the object's {@code upstream-guard.dev/skip} annotation ("all" waives every rule). */
    public static Set<String> waivers(Change change) {
        var annotations = change.current().getMetadata().getAnnotations();
        var value = annotations == null ? null : annotations.get(SKIP_KEY);
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    public Decision decide(Change change, Evaluation before, Evaluation after, ClusterView afterView, Mode mode) {
        var notices = new ArrayList<String>();
        // a rule that failed on a subject in either view cannot deny on it: in before, its old findings are missing
        // and would look new; in after, what it would have found is unknown
        var failed = new HashSet<Failed>();
        for (var failure : after.failures()) {
            failed.add(new Failed(failure.ruleId(), failure.subject()));
            notices.add("[upstream-guard] rule " + failure.ruleId() + " failed on " + failure.subject()
                    + "; change allowed unchecked by it");
        }
        for (var failure : before.failures()) {
            if (failed.add(new Failed(failure.ruleId(), failure.subject()))) {
                notices.add("[upstream-guard] rule " + failure.ruleId() + " failed on " + failure.subject()
                        + " as it was; it cannot deny on it");
            }
        }
        var beforeIds = new HashSet<Finding.Identity>();
        before.findings().forEach(f -> beforeIds.add(f.identity()));
        var waived = waivers(change);
        var unique = new LinkedHashMap<Finding.Identity, Finding>();
        after.findings().forEach(f -> unique.putIfAbsent(f.identity(), f));

        // a scale to zero is reported once, as workload-scaled-to-zero, not also as the Service's empty selector;
        // and it only warns even when that rule could not say so
        boolean scaledToZero = scaledToZero(change);
        var reportedAsScaledToZero = new HashSet<ObjectRef>();
        unique.values().stream().filter(f -> f.ruleId().equals(WorkloadScaledToZero.INFO.id()))
                .forEach(f -> reportedAsScaledToZero.addAll(f.chain()));
        var verdicts = new ArrayList<Verdict>();
        for (var raw : unique.values()) {
            boolean selectsNothing = raw.ruleId().equals(ServiceSelectsNothing.INFO.id())
                    && raw.subject().kind().equals("Service");
            if (selectsNothing && reportedAsScaledToZero.contains(raw.subject())) {
                continue;
            }
            var f = withConfiguredSeverity(raw);
            if (f == null) {
                continue; // rule switched off
            }
            if (waived.contains(f.ruleId()) || waived.contains("all")) {
                verdicts.add(new Verdict(f, Action.WAIVED, "waived", false));
                continue;
            }
            String reason;
            if (f.severity() == Severity.ERROR && failed.contains(new Failed(f.ruleId(), f.subject()))) {
                reason = "rule failed";
            } else if (f.severity() == Severity.ERROR && selectsNothing && scaledToZero) {
                reason = "scaled to zero";
            } else {
                reason = whyNotDeny(change, f, beforeIds.contains(f.identity()), afterView);
            }
            if (reason != null) {
                verdicts.add(new Verdict(f, Action.WARN, reason, false));
            } else if (mode == Mode.WARN) {
                verdicts.add(new Verdict(f, Action.WARN, "would deny", true));
            } else {
                verdicts.add(new Verdict(f, Action.DENY, "", false));
            }
        }
        verdicts.sort(Comparator.comparing(Verdict::action));
        boolean allowed = verdicts.stream().noneMatch(v -> v.action() == Action.DENY);
        return new Decision(allowed, List.copyOf(verdicts), List.copyOf(notices), allowed ? null : orderingHint(change, verdicts));
    }

    /** A rule that threw on a subject. */
    private record Failed(String ruleId, ObjectRef subject) {
    }

    /**
     * The finding at its configured severity, or null when its rule is off. An override moves only the findings a rule
     * gives at its default severity: a rule's own milder findings (a numeric port that is merely undeclared) stay
     * warnings when the rule is set to error, and setting a rule to its own default changes nothing.
     */
    public Finding withConfiguredSeverity(Finding raw) {
        var override = settings.severities().get(raw.ruleId());
        if (override == null) {
            return raw;
        }
        if (override.isEmpty()) {
            return null;
        }
        var ruleDefault = RuleCatalog.info(raw.ruleId()).map(RuleInfo::severity).orElse(raw.severity());
        return raw.severity() == ruleDefault ? raw.withSeverity(override.get()) : raw;
    }

    /** A workload UPDATE (or /scale) from running replicas to {@code replicas: 0}. */
    static boolean scaledToZero(Change change) {
        if (!change.isUpdate() || change.object() == null || change.oldObject() == null
                || !PodSources.WORKLOAD_KINDS.contains(change.ref().kind())) {
            return false;
        }
        var now = PodSources.replicas(change.object());
        var was = PodSources.replicas(change.oldObject());
        return now != null && now == 0 && (was == null || was > 0);
    }

    /** Null when the finding denies; else why it is only a warning. The rows of the decision table, in order. */
    String whyNotDeny(Change change, Finding f, boolean alreadyBroken, ClusterView after) {
        if (f.severity() == Severity.WARNING) {
            return "";
        }
        if (alreadyBroken) {
            return "already broken";
        }
        if (change.dryRun()) {
            return "dry run";
        }
        if (change.isDelete()) {
            return settings.denyDeletes() ? null : "on delete";
        }
        if (f.absentReference() && change.isCreate()) {
            return "not found yet";
        }
        var kind = change.ref().kind();
        if (RouteBackends.holdsRoutes(kind)) {
            return routeChange(change, f);
        }
        if (kind.equals("Service") || PodSources.WORKLOAD_KINDS.contains(kind)) {
            return serviceOrWorkloadChange(change, f, after);
        }
        if (kind.equals("Gateway") || kind.equals(Grant.KIND)) {
            return gatewayOrGrantChange(f);
        }
        return null;
    }

    /**
     * A Gateway or a ReferenceGrant changed: a route it detaches (a listener removed or renamed, allowedRoutes
     * narrowed, a hostname no longer in common) or a permission it withdraws from a live route's backendRef denies;
     * the route objects are not this change's to fix otherwise.
     */
    private static String gatewayOrGrantChange(Finding f) {
        var id = f.ruleId();
        if (id.equals(RouteNotAttached.INFO.id()) || id.equals(RouteBackendNotPermitted.INFO.id())) {
            return null;
        }
        return f.subject().kind() + " may follow";
    }

    /**
     * A route object changed. A route that already existed and now leads nowhere (no Service, no pods, a targetPort
     * that resolves nowhere) denies; a new route may be waiting for what comes later in the same sync. A port the
     * existing Service does not expose denies either way: that is wrong whatever comes next.
     */
    private String routeChange(Change change, Finding f) {
        var id = f.ruleId();
        if (id.equals(RouteNotAttached.INFO.id()) && f.subject().equals(change.ref())) {
            // a new route may be waiting for its Gateway, listener or namespace label later in the sync; an update
            // that detaches an attached route is a new finding (an old detachment is "already broken")
            return change.isCreate() ? "not attached yet" : null;
        }
        boolean routeLink = id.equals(IngressServiceMissing.INFO.id()) || id.equals(ServiceSelectsNothing.INFO.id())
                || id.equals(ServiceTargetPortMissing.INFO.id()) || id.equals(RouteBackendMissing.INFO.id())
                || id.equals(RouteBackendNotPermitted.INFO.id());
        if (routeLink && f.subject().equals(change.ref())) {
            boolean existingRoute = change.oldObject() != null && RouteBackends.of(change.oldObject()).stream()
                    .map(Backend::routeKey).anyMatch(f.key()::equals);
            return existingRoute ? null : "not found yet";
        }
        return null;
    }

    /**
     * A Service or a workload changed. A regression on a Service port no route resolves to is a warning (unless
     * {@code protect-unrouted}); findings on the routes that lead to the Service are warnings, since the route object
     * is usually re-pointed seconds later in the same sync.
     */
    private String serviceOrWorkloadChange(Change change, Finding f, ClusterView after) {
        var subject = f.subject();
        if (subject.kind().equals("Service")) {
            if (change.ref().kind().equals("Service") && change.isCreate()) {
                return "new Service";
            }
            var service = after.service(subject.namespace(), subject.name()).orElse(null);
            boolean routed = service != null && (f.port() == null ? Routes.routed(after, service)
                    : Routes.routed(after, service, f.port()));
            if (!routed && !settings.protectUnrouted()) {
                return "unrouted";
            }
            return null;
        }
        if (RouteBackends.holdsRoutes(subject.kind())) {
            return subject.kind() + " may follow";
        }
        return null; // a finding on the workload itself (probe on a named port it doesn't declare ...)
    }

    /**
     * How to stage the change when a denial could be an ordering artefact ({@code kubectl apply -f dir/} applies
     * files alphabetically) or a rename that needs two steps.
     */
    private static String orderingHint(Change change, List<Verdict> verdicts) {
        if (change.isDelete() || change.dryRun()) {
            return null;
        }
        var rules = verdicts.stream().filter(v -> v.action() == Action.DENY).map(v -> v.finding().ruleId())
                .collect(Collectors.toSet());
        if (change.ref().kind().equals("Gateway") && rules.contains(RouteNotAttached.INFO.id())) {
            return "To change a listener without an outage: add the new listener beside the old, move the routes to "
                    + "it (their parentRefs' sectionName), then remove the old listener.";
        }
        if (change.ref().kind().equals(Grant.KIND) && rules.contains(RouteBackendNotPermitted.INFO.id())) {
            return "Move or delete the routes that use this permission first, then narrow or delete the grant.";
        }
        if (rules.contains(RouteBackendPortMissing.INFO.id()) || rules.contains(RouteBackendMissing.INFO.id())) {
            return "If the Service gets this port or name in the same apply (kubectl apply -f dir/ goes "
                    + "alphabetically), apply the Service first, then the route.";
        }
        if (rules.contains("service-selects-nothing") || rules.contains("service-target-port-missing")) {
            return "To move a Service to new labels or port names without an outage: add the new ones to the pod "
                    + "template next to the old, roll it out, switch the Service, then drop the old ones.";
        }
        if (rules.contains(IngressServicePortMissing.INFO.id()) || rules.contains(IngressServiceMissing.INFO.id())) {
            return "If the Service gets this port or name in the same apply (kubectl apply -f dir/ goes "
                    + "alphabetically), apply the Service first, then the Ingress.";
        }
        return null;
    }
}
