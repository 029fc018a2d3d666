package dev.upstreamguard.admission;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.FreshReads;
import dev.upstreamguard.cluster.ObjectRef;
import dev.upstreamguard.policy.Change;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.Decision;
import dev.upstreamguard.policy.Exemptions;
import dev.upstreamguard.policy.Mode;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.rules.Scope;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;

/**
 * One AdmissionReview in, one out: parse, exempt, evaluate before and after, decide, render. Free of CDI and HTTP so
 * tests and tools drive it directly. Anything that goes wrong after the request is understood fails open: allowed,
 * with a warning that says so. An outage of the guard must never become an outage of the cluster.
 */
public final class ReviewHandler {
    private static final Logger LOG = Logger.getLogger(ReviewHandler.class);
    public static final String API_VERSION = "admission.k8s.io/v1";

    private final ObjectMapper mapper;
    private final Supplier<ClusterView> views;
    private final Evaluator evaluator;
    private final Decider decider;
    private final ResponseRenderer renderer;
    private volatile ReviewObserver observer = ReviewObserver.NONE;
    private final ReviewJson json;
    private final Supplier<Optional<String>> staleness;
    private final FaultCounters counters;
    private volatile FreshReads freshReads;
    private volatile Duration maxConfirmTime = Duration.ofSeconds(2);
    private final ConfirmCounters confirmations = new ConfirmCounters();

    public ReviewHandler(ObjectMapper mapper, Supplier<ClusterView> views, Evaluator evaluator, Decider decider) {
        this(mapper, views, evaluator, decider, Optional::empty, new FaultCounters());
    }

    /**
     * @param staleness why the view is too stale to deny on ("cluster view stale for 75s (Pod not watching)"), or
     *                  empty while it is fresh
     * @param counters  where failures inside are counted
     */
    public ReviewHandler(ObjectMapper mapper, Supplier<ClusterView> views, Evaluator evaluator, Decider decider,
            Supplier<Optional<String>> staleness, FaultCounters counters) {
        this.mapper = mapper;
        this.views = views;
        this.evaluator = evaluator;
        this.decider = decider;
        this.renderer = new ResponseRenderer(mapper);
        this.json = ReviewJson.strict(mapper);
        this.staleness = staleness;
        this.counters = counters;
    }

    public FaultCounters counters() {
        return counters;
    }

    /** How would-be denials fared on their fresh read. */
    public ConfirmCounters confirmations() {
        return confirmations;
    }

    /**
     * Confirms every would-be denial on a fresh read from {@code reads} before giving it, spending at most
     * {@code maxTime} (and never past the review's deadline). Without it (the manifests view) denials are given as
     * judged on the view.
     */
    public ReviewHandler confirmingWith(FreshReads reads, Duration maxTime) {
        this.freshReads = reads;
        this.maxConfirmTime = maxTime;
        return this;
    }

    /** Who is told about each answered review (metrics, Events). */
    public ReviewHandler observedBy(ReviewObserver observer) {
        this.observer = observer;
        return this;
    }

    /** An answer (an AdmissionReview, or a 400's {@code {"error": ...}}) as the JSON that goes back. */
    public byte[] json(Object answer) throws JsonProcessingException {
        return mapper.writeValueAsBytes(answer);
    }

    /** Parses the body; a body that is not a usable v1 AdmissionReview throws {@link BadReview}. */
    public AdmissionReview parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadReview("empty body: expected an admission.k8s.io/v1 AdmissionReview");
        }
        AdmissionReview review;
        try {
            review = json.read(body);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new BadReview("malformed AdmissionReview JSON" + loc + ": " + oneLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new BadReview("unreadable AdmissionReview: " + oneLine(String.valueOf(e.getMessage())));
        }
        if (review == null) {
            throw new BadReview("empty body: expected an admission.k8s.io/v1 AdmissionReview");
        }
        if (review.getApiVersion() != null && !API_VERSION.equals(review.getApiVersion())) {
            throw new BadReview("apiVersion " + BadReview.quote(review.getApiVersion()) + " is not served: only " + API_VERSION
                    + " (set admissionReviewVersions: [\"v1\"])");
        }
        if (review.getKind() != null && !"AdmissionReview".equals(review.getKind())) {
            throw new BadReview("kind " + BadReview.quote(review.getKind()) + " is not an AdmissionReview");
        }
        var request = review.getRequest();
        if (request == null) {
            throw new BadReview("AdmissionReview has no request");
        }
        if (request.getUid() == null || request.getUid().isBlank()) {
            throw new BadReview("request.uid is missing or empty");
        }
        return review;
    }

    /** Answers a parsed review with no deadline of its own; never throws. */
    public AdmissionReview answer(AdmissionReview review) {
        return answer(review, System.nanoTime() + Duration.ofSeconds(10).toNanos());
    }

    /**
     * Answers a parsed review; never throws.
     *
     * @param deadline {@link System#nanoTime()} by which the answer must be ready: a confirmation that would run past
     *                 it is not attempted
     */
    public AdmissionReview answer(AdmissionReview review, long deadline) {
        var request = review.getRequest();
        long start = System.nanoTime();
        Decision decision;
        try {
            decision = decide(request, deadline);
        } catch (BadReview e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            counters.countInternalError();
            LOG.errorf(e, "Review %s failed inside the guard; allowing it", forLog(request.getUid()));
            decision = Decision.allow(List.of(
                    "[upstream-guard] internal error (" + e.getClass().getSimpleName() + "); change allowed unchecked"));
        }
        var response = renderer.render(request.getUid(), decision);
        try {
            observer.reviewed(request, decision, System.nanoTime() - start);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Observer failed on review %s", forLog(request.getUid()));
        }
        var out = new AdmissionReview();
        out.setApiVersion(API_VERSION);
        out.setKind("AdmissionReview");
        out.setResponse(response);
        return out;
    }

    Decision decide(AdmissionRequest request, long deadline) {
        if ("CONNECT".equals(request.getOperation())) {
            return Decision.allow(List.of());
        }
        var view = views.get();
        var scaled = HandledKinds.parentOfSubresource(request.getResource(), request.getSubResource());
        Change change;
        if (scaled.isPresent()) {
            change = scaleChange(request, scaled.get(), view);
            if (change == null) {
                return Decision.allow(List.of()); // the parent is not in the view (yet): nothing to judge
            }
        } else {
            var type = HandledKinds.of(request.getKind());
            if (type.isEmpty() || (request.getSubResource() != null && !request.getSubResource().isEmpty())) {
                return Decision.allow(List.of()); // not ours
            }
            change = change(request, type.get());
        }
        var notices = new ArrayList<String>();
        var mode = decider.modeFor(change, view, notices);
        if (mode == Mode.OFF) {
            return Decision.allow(List.of());
        }
        if (!view.synced()) {
            return Decision.allow(List.of("[upstream-guard] cluster cache not synced yet; change allowed unchecked"));
        }
        var exempt = Exemptions.reason(change, view, decider.settings());
        if (exempt.isPresent()) {
            LOG.debugf("Review %s %s %s exempt: %s", forLog(request.getUid()), change.operation(), change.ref(), exempt.get());
            return Decision.allow(notices);
        }
        // a stale view must not deny: what it would deny becomes a warning that says why
        var stale = mode == Mode.ENFORCE ? staleness.get() : Optional.<String>empty();
        var effective = stale.isPresent() ? Mode.WARN : mode;
        var judged = view.consistent(() -> judge(view, change, effective, request.getUid()));
        var decision = judged.decision();
        if (stale.isPresent() && StaleView.wouldDeny(decision)) {
            counters.countStaleView();
            decision = StaleView.soften(decision, stale.get());
        } else if (freshReads != null && Confirmation.needed(decision)) {
            decision = confirm(change, judged, view, effective, request.getUid(), deadline);
        }
        var all = new ArrayList<>(notices);
        all.addAll(decision.notices());
        decision = new Decision(decision.allowed(), decision.verdicts(), List.copyOf(all), decision.orderingHint());
        if (!decision.allowed()) {
            LOG.infof("Denied %s %s (review %s, user %s): %s", change.operation(), forLog(change.ref().toString()),
                    forLog(request.getUid()), forLog(change.username()),
                    decision.denials().stream().map(v -> v.finding().ruleId()).toList());
        }
        return decision;
    }

    /** A decision and what it was made on. */
    record Judgement(Decision decision, Scope scope) {
    }

    /** Judges the change on one view: before and after, the rules on what it touches, the decision table. */
    private Judgement judge(ClusterView view, Change change, Mode mode, String uid) {
        // the request's oldObject is authoritative for the object itself: the cache may lag one watch event
        var before = change.oldObject() != null ? view.with(change.oldObject()) : view.without(change.ref());
        var after = change.isDelete() ? view.without(change.ref()) : view.with(change.object());
        var scope = Scope.of(change.ref(), change.oldObject(), change.object(), before, after);
        var beforeEval = evaluator.evaluate(before, scope, change.oldObject());
        var afterEval = evaluator.evaluate(after, scope, change.object());
        logFailures(beforeEval, afterEval, uid);
        return new Judgement(decider.decide(change, beforeEval, afterEval, after, mode), scope);
    }

    /** Logs and counts each rule that threw on a subject, once per review whichever views it threw in. */
    private void logFailures(Evaluator.Evaluation before, Evaluator.Evaluation after, String uid) {
        var seen = new java.util.HashSet<String>();
        for (var failure : after.failures()) {
            if (seen.add(failure.ruleId() + " " + failure.subject())) {
                counters.countRuleFailure();
                LOG.errorf(failure.error(), "Rule %s threw on %s (review %s); allowing what it would have judged",
                        failure.ruleId(), forLog(String.valueOf(failure.subject())), forLog(uid));
            }
        }
        for (var failure : before.failures()) {
            if (seen.add(failure.ruleId() + " " + failure.subject())) {
                counters.countRuleFailure();
                LOG.errorf(failure.error(), "Rule %s threw on %s as it was before the change (review %s); it cannot "
                        + "deny on it", failure.ruleId(), forLog(String.valueOf(failure.subject())), forLog(uid));
            }
        }
    }

    /**
     * Re-judges a would-be denial on the objects it rests on, read fresh from the API server: given only if it still
     * holds. A read that fails or would run past the deadline allows, with a warning that the denial was not
     * confirmed.
     */
    private Decision confirm(Change change, Judgement cached, ClusterView cache, Mode mode, String uid, long deadline) {
        long left = Math.min(deadline - System.nanoTime(), maxConfirmTime.toNanos());
        String why;
        try {
            if (left < Confirmation.MIN_TIME.toNanos()) {
                throw new java.util.concurrent.TimeoutException("no time left before the API server's deadline");
            }
            var evidence = Confirmation.evidence(change, cached.scope(), cached.decision(), cache);
            var fresh = Confirmation.freshView(freshReads, evidence, cache, Duration.ofNanos(left));
            var again = fresh.consistent(() -> judge(fresh, change, mode, uid)).decision();
            if (Confirmation.needed(again)) {
                confirmations.countUpheld();
            } else {
                confirmations.countOverturned();
                LOG.infof("Review %s: %s %s would have been denied on the cache (%s) but not on a fresh read: the cache "
                        + "lagged the API server", forLog(uid), change.operation(), forLog(change.ref().toString()),
                        cached.decision().verdicts().stream().filter(v -> v.action() == dev.upstreamguard.policy.Action.DENY
                                || v.wouldDeny()).map(v -> v.finding().ruleId()).distinct().toList());
            }
            return again;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted";
        } catch (java.util.concurrent.ExecutionException e) {
            why = oneLine(String.valueOf(e.getCause()));
        } catch (Exception e) {
            why = oneLine(e.toString());
        }
        confirmations.countUnconfirmed();
        counters.countUnconfirmed();
        LOG.warnf("Review %s: could not confirm the denial of %s %s (%s); allowing it", forLog(uid), change.operation(),
                forLog(change.ref().toString()), forLog(why));
        return Confirmation.unconfirmed(cached.decision(), OneLine.head(why, 80, ' '));
    }

    private static Change change(AdmissionRequest request, Class<? extends HasMetadata> type) {
        var object = typed(request.getObject(), type, "request.object");
        var old = typed(request.getOldObject(), type, "request.oldObject");
        var op = request.getOperation();
        if (op == null) {
            throw new BadReview("request.operation is missing");
        }
        if (!"DELETE".equals(op) && object == null) {
            throw new BadReview("request.object is missing for " + op);
        }
        if ("DELETE".equals(op) && old == null) {
            throw new BadReview("request.oldObject is missing for DELETE");
        }
        for (var o : new HasMetadata[] {object, old}) {
            if (o != null) {
                fillIdentity(o, request);
            }
        }
        var current = object != null ? object : old;
        var ref = new ObjectRef(current.getKind(), current.getMetadata().getNamespace(), current.getMetadata().getName());
        var user = request.getUserInfo() == null ? null : request.getUserInfo().getUsername();
        return new Change(request.getUid(), op, ref, object, old, user, Boolean.TRUE.equals(request.getDryRun()),
                request.getSubResource());
    }

    /**
     * A {@code /scale} write as an UPDATE of its parent: an autoscaling/v1 Scale carries no labels, so the parent is
     * found in the view and copied with the new replica count. Null when the parent is not in the view.
     */
    private Change scaleChange(AdmissionRequest request, String parentKind, ClusterView view) {
        if (request.getObject() == null) {
            throw new BadReview("request.object is missing for a scale " + request.getOperation());
        }
        if (!(request.getObject() instanceof Scale scale)) {
            throw new BadReview("request.object is not an autoscaling/v1 Scale ("
                    + request.getObject().getClass().getSimpleName() + ")");
        }
        var ns = request.getNamespace();
        var name = request.getName() != null ? request.getName()
                : scale.getMetadata() == null ? null : scale.getMetadata().getName();
        var parent = name == null ? null : view.workload(parentKind, ns, name).orElse(null);
        if (parent == null) {
            return null;
        }
        HasMetadata copy = mapper.convertValue(parent, parent.getClass());
        Integer replicas = scale.getSpec() == null ? null : scale.getSpec().getReplicas();
        if (copy instanceof Deployment d) {
            d.getSpec().setReplicas(replicas);
        } else if (copy instanceof StatefulSet st) {
            st.getSpec().setReplicas(replicas);
        }
        var user = request.getUserInfo() == null ? null : request.getUserInfo().getUsername();
        return new Change(request.getUid(), "UPDATE", ObjectRef.of(parent), copy, parent, user,
                Boolean.TRUE.equals(request.getDryRun()), request.getSubResource());
    }

    private static HasMetadata typed(Object o, Class<? extends HasMetadata> type, String field) {
        if (o == null) {
            return null;
        }
        if (!type.isInstance(o)) {
            throw new BadReview(field + " is not a " + type.getSimpleName() + " (" + o.getClass().getSimpleName() + ")");
        }
        return type.cast(o);
    }

    /** The API server may leave namespace and (with generateName) name out of the object; the request has them. */
    private static void fillIdentity(HasMetadata o, AdmissionRequest request) {
        if (o.getMetadata() == null) {
            o.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
        }
        var meta = o.getMetadata();
        if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
            meta.setNamespace(request.getNamespace() == null ? "default" : request.getNamespace());
        }
        if (meta.getName() == null || meta.getName().isEmpty()) {
            meta.setName(request.getName() != null && !request.getName().isEmpty() ? request.getName()
                    : meta.getGenerateName() != null ? meta.getGenerateName() + "(generated)" : "(unnamed)");
        }
    }

    /** Longest text from a review put into a log line (a uid is 36 characters, a username rarely 100). */
    static final int LOG_TEXT_MAX = 160;

    /**
     * A value taken from a review, fit for one log line ({@link OneLine}, separators as '?'), cut to
     * {@link #LOG_TEXT_MAX} characters (a review can carry megabytes in its uid or username).
     */
    static String forLog(String s) {
        if (s == null) {
            return "-";
        }
        return OneLine.head(s, LOG_TEXT_MAX, '?') + (OneLine.longer(s, LOG_TEXT_MAX) ? "…(" + s.length() + " chars)" : "");
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        var line = s.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
