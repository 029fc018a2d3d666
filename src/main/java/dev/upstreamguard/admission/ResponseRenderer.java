package dev.upstreamguard.admission;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.policy.Action;
import dev.upstreamguard.policy.Decision;
import dev.upstreamguard.policy.Verdict;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;

/**
 * Turns a {@link Decision} into an AdmissionResponse that reads well in kubectl, Helm, Argo CD and Flux: a denial
 * is one message with one line per finding; warnings start with {@code [rule-id]}, are at most 120 characters each
 * and 4 KiB in all (the API server truncates and drops beyond that); the full findings go as JSON in
 * {@code auditAnnotations}.
 */
public final class ResponseRenderer {
    public static final int MAX_WARNING = 120;
    public static final int MAX_WARNINGS_BYTES = 4096;
    public static final String AUDIT_KEY = "findings";

    private final ObjectMapper mapper;

    public ResponseRenderer(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public AdmissionResponse render(String uid, Decision decision) {
        var b = new AdmissionResponseBuilder().withUid(uid).withAllowed(decision.allowed());
        if (!decision.allowed()) {
            b.withStatus(new StatusBuilder().withCode(403).withReason("Forbidden").withStatus("Failure")
                    .withMessage(denialMessage(decision)).build());
        }
        var warnings = warnings(decision);
        if (!warnings.isEmpty()) {
            b.withWarnings(warnings);
        }
        if (!decision.verdicts().isEmpty()) {
            b.withAuditAnnotations(Map.of(AUDIT_KEY, findingsJson(decision.verdicts())));
        }
        return b.build();
    }

    /** One line per denying finding, {@code [rule-id] message Fix: ...}, then how to stage it if order may be at fault. */
    static String denialMessage(Decision decision) {
        var lines = new ArrayList<String>();
        for (var v : decision.denials()) {
            lines.add("[" + v.finding().ruleId() + "] " + v.finding().line());
        }
        if (decision.orderingHint() != null) {
            lines.add(decision.orderingHint());
        }
        return String.join("\n", lines);
    }

    /** Every non-denying finding and every notice, shortened to fit the API server's limits. */
    static List<String> warnings(Decision decision) {
        var all = new ArrayList<String>();
        for (var v : decision.verdicts()) {
            if (v.action() != Action.DENY) {
                all.add(warning(v));
            }
        }
        for (var n : decision.notices()) {
            all.add(shorten(n));
        }
        var out = new ArrayList<String>();
        int bytes = 0;
        for (int i = 0; i < all.size(); i++) {
            var w = all.get(i);
            int size = w.getBytes(StandardCharsets.UTF_8).length;
            // keep room for the "N more" line
            if (bytes + size > MAX_WARNINGS_BYTES - MAX_WARNING) {
                out.add(shorten("[upstream-guard] " + (all.size() - i) + " more findings: see the audit annotation "
                        + "and Events"));
                break;
            }
            out.add(w);
            bytes += size;
        }
        return out;
    }

    /** {@code [rule-id] qualifier: summary}, at most 120 characters. */
    static String warning(Verdict v) {
        var f = v.finding();
        var qualifier = v.reason().isEmpty() ? "" : v.reason() + ": ";
        return shorten("[" + f.ruleId() + "] " + qualifier + f.summary());
    }

    /**
     * One line ({@link OneLine}: separators become spaces, lone surrogates U+FFFD), never starting with "Warning:", at most
     * {@link #MAX_WARNING} characters (code points: an emoji in a name is never cut in half).
     */
    static String shorten(String s) {
        // enough to cut from after dropping "Warning:" prefixes
        var oneLine = OneLine.head(s, 8 * MAX_WARNING, ' ');
        while (oneLine.regionMatches(true, 0, "Warning:", 0, "Warning:".length())) {
            oneLine = oneLine.substring("Warning:".length()).trim();
        }
        if (oneLine.codePointCount(0, oneLine.length()) <= MAX_WARNING) {
            return oneLine;
        }
        return oneLine.substring(0, oneLine.offsetByCodePoints(0, MAX_WARNING - 1)) + "…";
    }

    private String findingsJson(List<Verdict> verdicts) {
        var list = new ArrayList<Map<String, Object>>();
        for (var v : verdicts) {
            var f = v.finding();
            var m = new LinkedHashMap<String, Object>();
            m.put("rule", f.ruleId());
            m.put("severity", f.severity().label());
            m.put("action", v.action().name().toLowerCase(java.util.Locale.ROOT));
            if (!v.reason().isEmpty()) {
                m.put("reason", v.reason());
            }
            m.put("subject", f.subject().toString());
            m.put("message", f.message());
            m.put("fix", f.fix());
            list.add(m);
        }
        try {
            return mapper.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            return "[]";
        }
    }
}
