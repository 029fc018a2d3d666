package dev.upstreamguard.admission;

import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ClusterViews;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.events.EventRecorder;
import dev.upstreamguard.events.KubernetesEventSink;
import dev.upstreamguard.metrics.MicrometerGuardMetrics;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.GuardConfig;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.RuleCatalog;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Wires the review handler once: the fabric8-aware JSON mapper, the live view and its staleness, the rules, the
 * policy; the gate in front of it (deadline, reviews in flight); and what hears about each review (metrics always,
 * Events when watching a live cluster and enabled).
 */
@ApplicationScoped
public class Admission {
    private static final Logger LOG = Logger.getLogger(Admission.class);

    private final ReviewHandler handler;
    private final ReviewGate gate;
    private final EventRecorder events;
    private final ExecutorService workers;

    public Admission(GuardConfig config, ClusterViews views, MicrometerGuardMetrics metrics,
                     Instance<KubernetesClient> client) {
        var mapper = new ObjectMapper();
        new KubernetesSerialization(mapper, true); // registers fabric8's modules on the mapper
        var faults = new FaultCounters();
        this.handler = new ReviewHandler(mapper, views::view, new Evaluator(RuleCatalog.with(
                config.ingressNginx().annotationsPrefix(), config.livenessBudgetSeconds())), new Decider(config.policy()),
                views::staleness, faults);
        views.freshReads().ifPresent(reads -> handler.confirmingWith(reads, config.admission().confirmTimeout()));
        this.gate = new ReviewGate(handler, config.admission().maxInFlight(), config.admission().deadlineMargin());
        int threads = config.admission().workers() > 0 ? config.admission().workers()
                : Math.max(2, Runtime.getRuntime().availableProcessors());
        var counter = new AtomicInteger();
        // unbounded queue: the gate's max-in-flight bounds what can wait in it
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            var t = new Thread(r, "upstream-guard-review-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        metrics.countFaults(faults);
        metrics.countConfirmations(handler.confirmations());
        var eventsConfig = config.events();
        if (eventsConfig.enabled() && views.live()) {
            this.events = new EventRecorder(new KubernetesEventSink(client.get(), hostname()), metrics,
                    ref -> uidOf(views.view(), ref), eventsConfig.queueSize(), eventsConfig.dedupeWindow(),
                    System::currentTimeMillis);
            handler.observedBy((request, decision, nanos) -> {
                metrics.reviewed(request, decision, nanos);
                events.reviewed(request, decision, nanos);
            });
        } else {
            this.events = null;
            handler.observedBy(metrics);
            LOG.infof("Kubernetes Events %s", eventsConfig.enabled() ? "off: no live cluster" : "disabled");
        }
    }

    static String uidOf(ClusterView view, ObjectRef ref) {
        return view.object(ref).map(o -> o.getMetadata().getUid()).orElse(null);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "upstream-guard";
        }
    }

    public ReviewHandler handler() {
        return handler;
    }

    public ReviewGate gate() {
        return gate;
    }

    /** The threads that judge reviews. */
    public ExecutorService workers() {
        return workers;
    }

    @PreDestroy
    void stop() {
        workers.shutdown();
        if (events != null) {
            events.close();
        }
    }
}
