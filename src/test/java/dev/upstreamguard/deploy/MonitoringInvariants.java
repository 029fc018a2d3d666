package dev.upstreamguard.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.upstreamguard.metrics.MicrometerGuardMetrics;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * What the alerts and the dashboard must cover, checked on the kustomize and the Helm renderings alike: faults
 * ({@code upstream_guard_faults_total}) page someone for every reason but {@code bad-review}, and a panel shows them
 * by reason. Each check returns the problems it found, empty when it holds.
 */
final class MonitoringInvariants {
    static final String FAULTS = "upstream_guard_faults_total";
    static final String NOT_PAGED = "bad-review";
    /** The series with its label matchers, or bare (then group 1 is null: every reason). */
    private static final Pattern SELECTOR = Pattern.compile(FAULTS + "(?:\\{([^}]*)}|(?![\\w{]))");
    private static final Pattern WHY = Pattern.compile("why\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");

    private MonitoringInvariants() {
    }

    /**
     * An alert on {@code upstream_guard_faults_total} whose selectors take every reason the app exports but
     * {@code bad-review}, with a {@code for:} so a blip does not page, and a description that says what each reason
     * means.
     */
    static List<String> faultsAlert(GenericKubernetesResource prometheusRule) {
        var alerts = new ArrayList<Map<?, ?>>();
        var spec = (Map<?, ?>) prometheusRule.getAdditionalProperties().get("spec");
        for (var group : (List<?>) spec.get("groups")) {
            for (var rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                if (String.valueOf(((Map<?, ?>) rule).get("expr")).contains(FAULTS)) {
                    alerts.add((Map<?, ?>) rule);
                }
            }
        }
        if (alerts.size() != 1) {
            return List.of("expected one alert on " + FAULTS + ", found " + alerts.size());
        }
        var alert = alerts.get(0);
        var p = new ArrayList<String>();
        var expr = String.valueOf(alert.get("expr"));
        var description = String.valueOf(((Map<?, ?>) alert.get("annotations")).get("description"));
        if (alert.get("for") == null || String.valueOf(alert.get("for")).isBlank()) {
            p.add(alert.get("alert") + " has no for: a single fault would page");
        }
        for (var why : MicrometerGuardMetrics.FAULT_REASONS) {
            boolean selected = selects(expr, why);
            if (why.equals(NOT_PAGED) && selected) {
                p.add(alert.get("alert") + " pages on " + why + ": " + expr);
            } else if (!why.equals(NOT_PAGED) && !selected) {
                p.add(alert.get("alert") + " never selects why=\"" + why + "\": " + expr);
            }
            if (!why.equals(NOT_PAGED) && !description.contains(why + " - ")) {
                p.add(alert.get("alert") + " description does not say what " + why + " means and what to do");
            }
        }
        return p;
    }

    /** Whether some {@code upstream_guard_faults_total{...}} selector of the expression matches this {@code why}. */
    static boolean selects(String expr, String why) {
        var selectors = SELECTOR.matcher(expr);
        while (selectors.find()) {
            boolean all = true;
            var matchers = WHY.matcher(selectors.group(1) == null ? "" : selectors.group(1));
            while (matchers.find()) {
                var value = matchers.group(2);
                all &= switch (matchers.group(1)) {
                    case "=" -> why.equals(value);
                    case "!=" -> !why.equals(value);
                    case "=~" -> why.matches(value); // Prometheus anchors regular expressions: a whole match
                    default -> !why.matches(value);
                };
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** A panel that shows the faults by reason. */
    static List<String> faultsPanel(JsonNode dashboard) {
        for (var panel : dashboard.get("panels")) {
            for (var target : panel.path("targets")) {
                var expr = target.path("expr").asText();
                if (expr.contains(FAULTS) && expr.replace(" ", "").contains("by(why)")) {
                    return List.of();
                }
            }
        }
        return List.of("no dashboard panel shows " + FAULTS + " by (why)");
    }
}
