package dev.upstreamguard.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.admission.ResponseRenderer;
import dev.upstreamguard.admission.ReviewHandler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;

/**
 * Replays a sync against a {@link SyncTarget} (a {@link ClusterState}): each write of a kind the webhook judges is sent as the AdmissionReview
 * JSON the API server would send (a CREATE, or an UPDATE with the stored object as {@code oldObject}) to a
 * {@link Judge} — the webhook's own {@link ReviewHandler} — and stored only when allowed, as the API server does. A
 * dry run stores nothing. Objects of other kinds are stored unjudged. Every answer is kept.
 */
public final class SyncReplay {
    /** Answers one AdmissionReview, given as the JSON the API server would post. */
    @FunctionalInterface
    public interface Judge {
        AdmissionResponse answer(byte[] review);
    }

    /** One judged write and the webhook's answer to it. */
    public record Answer(String step, BundleObject item, String operation, boolean dryRun, AdmissionResponse response) {
        public boolean denied() {
            return !Boolean.TRUE.equals(response.getAllowed());
        }

        public List<String> warnings() {
            return response.getWarnings() == null ? List.of() : response.getWarnings();
        }

        /** The denial's message, one line per finding (null when allowed). */
        public String message() {
            return response.getStatus() == null ? null : response.getStatus().getMessage();
        }
    }

    /** One finding of an answer, as the webhook writes it to the audit annotation {@code findings}. */
    public record ReviewFinding(String rule, String severity, String action, String reason, String subject,
                                String message, String fix) {
    }

    private final SyncTarget state;
    private final Judge judge;
    private final ObjectMapper mapper;
    private final AdmissionRequests requests;
    private final List<Answer> answers = new ArrayList<>();

    public SyncReplay(SyncTarget state, Judge judge, ObjectMapper mapper) {
        this.state = state;
        this.judge = judge;
        this.mapper = mapper;
        this.requests = new AdmissionRequests(mapper);
    }

    /** A judge that is the webhook's handler: parse, then answer, as {@code /validate} does. */
    public static Judge judgeWith(ReviewHandler handler) {
        return review -> handler.answer(handler.parse(review)).getResponse();
    }

    /** Runs the steps in order. */
    public SyncReplay run(List<ApplyOrder.Step> steps) {
        for (var step : steps) {
            apply(step.name(), step.objects(), step.dryRun());
        }
        return this;
    }

    /** Creates or updates each object in order, as {@code kubectl apply} (or a dry run of it) does. */
    public void apply(String step, List<BundleObject> items, boolean dryRun) {
        for (var item : items) {
            // a copy: the stored object must not change when the bundle's does (one mapper: its caches are warm)
            var object = mapper.convertValue(item.object(), item.object().getClass());
            var live = state.live(item.ref()).orElse(null);
            if (ServedApis.judged(object)) {
                if (live != null) {
                    Identity.carry(live, object);
                }
                var operation = live == null ? "CREATE" : "UPDATE";
                var response = judge.answer(requests.review(operation, object, live, dryRun));
                var answer = new Answer(step, item, operation, dryRun, response);
                answers.add(answer);
                if (answer.denied()) {
                    continue;
                }
            }
            if (!dryRun) {
                state.put(object);
            }
        }
    }

    /** Deletes each object that is stored, in order (a teardown or prune); a denied DELETE keeps it. */
    public void delete(String step, List<BundleObject> items) {
        for (var item : items) {
            var live = state.live(item.ref()).orElse(null);
            if (live == null) {
                state.remove(item.object()); // an unjudged kind, or never stored: removing is a no-op then
                continue;
            }
            var answer = new Answer(step, item, "DELETE", false, judge.answer(requests.review("DELETE", null, live, false)));
            answers.add(answer);
            if (!answer.denied()) {
                state.remove(live);
            }
        }
    }

    public List<Answer> answers() {
        return answers;
    }

    /** The findings of an answer, read back from its audit annotation (empty when it has none). */
    public static List<ReviewFinding> findings(AdmissionResponse response, ObjectMapper mapper) {
        var json = response.getAuditAnnotations() == null ? null
                : response.getAuditAnnotations().get(ResponseRenderer.AUDIT_KEY);
        if (json == null) {
            return List.of();
        }
        try {
            var out = new ArrayList<ReviewFinding>();
            for (var f : mapper.readTree(json)) {
                out.add(new ReviewFinding(f.path("rule").asText(), f.path("severity").asText(), f.path("action").asText(),
                        f.path("reason").asText(""), f.path("subject").asText(), f.path("message").asText(),
                        f.path("fix").asText()));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable findings annotation: " + e.getMessage(), e);
        }
    }

    /** Identity the API server keeps on an update: a manifest never carries it. */
    static final class Identity {
        private Identity() {
        }

        static void carry(HasMetadata live, HasMetadata object) {
            var from = live.getMetadata();
            var to = object.getMetadata();
            to.setUid(from.getUid());
            to.setResourceVersion(from.getResourceVersion());
            to.setCreationTimestamp(from.getCreationTimestamp());
            to.setGeneration(from.getGeneration());
        }
    }
}
