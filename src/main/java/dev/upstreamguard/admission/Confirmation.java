package dev.upstreamguard.admission;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ConfirmedView;
import dev.upstreamguard.cluster.FreshReads;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.cluster.RouteBackends;
import dev.upstreamguard.policy.Change;
import dev.upstreamguard.policy.Decision;
import dev.upstreamguard.policy.Verdict;
import dev.upstreamguard.rules.Scope;
import dev.upstreamguard.rules.Services;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;

/**
 * Confirm before deny: finds what a would-be denial rests on (the namespaces, Services and selectors of its findings
 * and of the change), reads exactly that fresh from the API server, and builds the view to judge the change on again.
 * What the reads could not reach stays as the cache has it.
 */
final class Confirmation {
    /** Below this much time left there is no point in asking the API server: the denial is not confirmed. */
    static final Duration MIN_TIME = Duration.ofMillis(20);
    static final String UNCONFIRMED = "unconfirmed, would deny";

    /**
     * What a decision rests on, per namespace.
     *
     * @param services  Service names whose current state the decision reads
     * @param selectors pod selectors whose pods it reads
     */
    record Evidence(Map<String, Set<String>> services, Map<String, Set<Map<String, String>>> selectors) {
        Set<String> namespaces() {
            return services.keySet();
        }
    }

    private Confirmation() {
    }

    /** True when the decision denies, or in warn mode would have denied: what a fresh read has to confirm. */
    static boolean needed(Decision decision) {
        return !decision.allowed() || decision.verdicts().stream().anyMatch(Verdict::wouldDeny);
    }

    static Evidence evidence(Change change, Scope scope, Decision decision, ClusterView cache) {
        var services = new LinkedHashMap<String, Set<String>>();
        var selectors = new LinkedHashMap<String, Set<Map<String, String>>>();
        services.computeIfAbsent(change.ref().namespace(), k -> new LinkedHashSet<>());
        for (var v : decision.verdicts()) {
            if (v.action() == dev.upstreamguard.policy.Action.DENY || v.wouldDeny()) {
                for (var ref : v.finding().chain()) {
                    addRef(services, ref);
                }
                addRef(services, v.finding().subject());
            }
        }
        scope.services().forEach(ref -> addRef(services, ref));
        for (var o : new HasMetadata[] {change.object(), change.oldObject()}) {
            if (o == null) {
                continue;
            }
            RouteBackends.of(o).forEach(b -> addRef(services, b.service()));
            if (o instanceof Service s) {
                addRef(services, ObjectRef.of(s));
                addSelector(selectors, s);
            }
        }
        // the cache's idea of each Service: its pods may be the ones the fresh Service no longer selects
        services.forEach((ns, names) -> names.forEach(name -> cache.service(ns, name)
                .ifPresent(s -> addSelector(selectors, s))));
        return new Evidence(services, selectors);
    }

    private static void addRef(Map<String, Set<String>> services, ObjectRef ref) {
        var names = services.computeIfAbsent(ref.namespace(), k -> new LinkedHashSet<>());
        if (ref.kind().equals("Service")) {
            names.add(ref.name());
        }
    }

    private static void addSelector(Map<String, Set<Map<String, String>>> selectors, Service s) {
        var selector = Services.selector(s);
        if (!selector.isEmpty()) {
            selectors.computeIfAbsent(s.getMetadata().getNamespace(), k -> new LinkedHashSet<>()).add(selector);
        }
    }

    /** Reads the evidence fresh, namespace by namespace within {@code timeout}, and returns the view to re-judge on. */
    static ClusterView freshView(FreshReads reads, Evidence evidence, ClusterView cache, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        var fresh = new ClusterIndex();
        for (var ns : evidence.namespaces()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new java.util.concurrent.TimeoutException("out of time after " + timeout.toMillis() + " ms");
            }
            Collection<Map<String, String>> selectors = evidence.selectors().getOrDefault(ns, Set.of());
            for (var o : reads.namespace(ns, evidence.services().get(ns), selectors, Duration.ofNanos(left))) {
                fresh.put(o);
            }
        }
        return new ConfirmedView(cache, fresh, evidence.namespaces());
    }

    /** The decision when its denials could not be confirmed: allowed, each would-be denial a warning that says so. */
    static Decision unconfirmed(Decision decision, String why) {
        var verdicts = new ArrayList<Verdict>();
        for (var v : decision.verdicts()) {
            boolean wouldDeny = v.action() == dev.upstreamguard.policy.Action.DENY || v.wouldDeny();
            verdicts.add(wouldDeny ? new Verdict(v.finding(), dev.upstreamguard.policy.Action.WARN, UNCONFIRMED, true) : v);
        }
        var notices = new ArrayList<String>();
        notices.add("[upstream-guard] denial not confirmed against the API server (" + why + "); change allowed");
        notices.addAll(decision.notices());
        return new Decision(true, List.copyOf(verdicts), List.copyOf(notices), null);
    }
}
