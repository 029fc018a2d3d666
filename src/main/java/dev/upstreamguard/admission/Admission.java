package dev.upstreamguard.admission;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.GuardConfig;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.RuleCatalog;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Wires the review handler once: the fabric8-aware JSON mapper, the live view and its staleness, the rules and the
 * policy; and the gate in front of it (deadline, reviews in flight).
 */
@ApplicationScoped
public class Admission {
    private final ReviewHandler handler;
    private final ReviewGate gate;

    public Admission(GuardConfig config, ClusterViews views) {
        var mapper = new ObjectMapper();
        new KubernetesSerialization(mapper, true); // registers fabric8's modules on the mapper
        this.handler = new ReviewHandler(mapper, views::view, new Evaluator(RuleCatalog.with(
                config.ingressNginx().annotationsPrefix(), config.livenessBudgetSeconds())), new Decider(config.policy()),
                views::staleness, new FaultCounters());
        this.gate = new ReviewGate(handler, config.admission().maxInFlight(), config.admission().deadlineMargin());
    }

    public ReviewHandler handler() {
        return handler;
    }

    public ReviewGate gate() {
        return gate;
    }

    /** Why reviews were answered without being fully judged, for the metrics. */
    public FaultCounters faults() {
        return handler.counters();
    }
}
