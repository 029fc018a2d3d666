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
import dev.upstreamguard.cluster.IngressBackends;
import dev.upstreamguard.cluster.PodSources;
import dev.upstreamguard.rules.Evaluator.Evaluation;
import dev.upstreamguard.rules.Finding;
import dev.upstreamguard.rules.IngressNginxTimeoutInvalid;
import dev.upstreamguard.rules.IngressServiceMissing;
import dev.upstreamguard.rules.IngressServicePortMissing;
import dev.upstreamguard.rules.Severity;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

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
        for (var failure : after.failures()) {
            notices.add("[upstream-guard] rule " + failure.ruleId() + " failed on " + failure.subject()
                    + "; change allowed unchecked by it");
        }
        var beforeIds = new HashSet<Finding.Identity>();
        before.findings().forEach(f -> beforeIds.add(f.identity()));
        var waived = waivers(change);
        var unique = new LinkedHashMap<Finding.Identity, Finding>();
        after.findings().forEach(f -> unique.putIfAbsent(f.identity(), f));

        var verdicts = new ArrayList<Verdict>();
        for (var raw : unique.values()) {
            var override = settings.severities().get(raw.ruleId());
            if (override != null && override.isEmpty()) {
                continue; // rule switched off
            }
            var f = override == null ? raw : raw.withSeverity(override.get());
            if (waived.contains(f.ruleId()) || waived.contains("all")) {
                verdicts.add(new Verdict(f, Action.WAIVED, "waived", false));
                continue;
            }
            var reason = whyNotDeny(change, f, beforeIds.contains(f.identity()), afterView);
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
        var hint = allowed || !mayBeOrdering(verdicts) ? null : orderingHint(change);
        return new Decision(allowed, List.copyOf(verdicts), List.copyOf(notices), hint);
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
        if (kind.equals("Ingress")) {
            return ingressChange(change, f);
        }
        if (kind.equals("Service") || PodSources.WORKLOAD_KINDS.contains(kind)) {
            return serviceOrWorkloadChange(change, f, after);
        }
        return null;
    }

    private String ingressChange(Change change, Finding f) {
        if (f.ruleId().equals(IngressServicePortMissing.INFO.id())) {
            return null; // the Service exists and does not expose the port: wrong whatever comes next
        }
        if (f.ruleId().equals(IngressServiceMissing.INFO.id())) {
            boolean existingRoute = change.oldObject() instanceof Ingress old
                    && IngressBackends.of(old).stream().map(Backend::routeKey).anyMatch(f.key()::equals);
            return existingRoute ? null : "not found yet";
        }
        return null;
    }

    private String serviceOrWorkloadChange(Change change, Finding f, ClusterView after) {
        var subject = f.subject();
        if (subject.kind().equals("Service")) {
            if (change.ref().kind().equals("Service") && change.isCreate()) {
                return "new Service";
            }
            boolean routed = after.routed(subject.namespace(), subject.name());
            if (!routed && !settings.protectUnrouted()) {
                return "unrouted";
            }
            return null;
        }
        if (subject.kind().equals("Ingress")) {
            return "Ingress may follow";
        }
        return null; // a finding on the workload itself (probe on a named port it doesn't declare ...)
    }

    /** False when every denial is wrong whatever else the apply holds (a bad timeout value): no staging helps. */
    private static boolean mayBeOrdering(List<Verdict> verdicts) {
        return verdicts.stream().filter(v -> v.action() == Action.DENY)
                .anyMatch(v -> !v.finding().ruleId().equals(IngressNginxTimeoutInvalid.INFO.id()));
    }

    /** When a denial could come from {@code kubectl apply -f dir/} applying files alphabetically, how to stage it. */
    private static String orderingHint(Change change) {
        if (change.isDelete() || change.dryRun()) {
            return null;
        }
        return switch (change.ref().kind()) {
            case "Ingress" -> "If the Service is changed in the same apply, apply it first (kubectl apply -f dir/ goes "
                    + "alphabetically): kubectl apply -f <service file>, then the rest.";
            case "Service" -> "If the pods' workload is changed in the same apply, roll it out first so the new pods "
                    + "carry the labels and ports, then change the Service.";
            default -> "If the Service is changed in the same apply, apply the Service first, then this workload.";
        };
    }
}
