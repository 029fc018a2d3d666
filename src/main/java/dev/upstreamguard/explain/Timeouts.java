package dev.upstreamguard.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.upstreamguard.admission.GoDuration;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.rules.IngressNginx;
import dev.upstreamguard.rules.IngressNginxTimeoutInvalid;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * What can still end a request on a healthy route in a 504: for an Ingress ingress-nginx serves, its
 * {@code proxy-connect/read/send-timeout} annotations against the controller's defaults (5 s connect, 60 s read and
 * send; a value it cannot parse is ignored, and {@code ingress-nginx-timeout-invalid} says so); for an HTTPRoute rule,
 * {@code timeouts.request} and {@code timeouts.backendRequest}.
 */
final class Timeouts {
    private static final Map<String, String> NGINX_NOTES = Map.of(
            "proxy-connect-timeout", "a pod that does not accept the connection within it: 504",
            "proxy-read-timeout", "a backend that sends nothing for this long mid-response: 504",
            "proxy-send-timeout", "a backend that takes nothing of the request for this long: 504",
            "proxy-next-upstream-timeout", "retries on other pods stop after this long");

    private Timeouts() {
    }

    static List<Timeout> of(RouteTarget target, ClusterView view, Judge judge) {
        if (target.owner() instanceof Ingress ingress) {
            return nginx(ingress, view, judge);
        }
        if (target.owner() instanceof HTTPRoute route) {
            return httpRoute(route, ruleIndex(target.route().field()));
        }
        return List.of(new Timeout("timeouts", "unset", "unset", "GRPCRoute has no timeouts field: the gateway's own "
                + "default applies", null));
    }

    private static List<Timeout> nginx(Ingress ingress, ClusterView view, Judge judge) {
        if (!view.ingressClasses().isEmpty() && !IngressNginx.servedByNginx(ingress, view)) {
            return List.of(new Timeout("timeouts", "unknown", "controller", "not served by ingress-nginx: its "
                    + "controller's own timeouts apply", null));
        }
        var prefix = judge.annotationPrefix();
        var annotations = ingress.getMetadata().getAnnotations() == null ? Map.<String, String>of()
                : ingress.getMetadata().getAnnotations();
        var findings = judge.rule(IngressNginxTimeoutInvalid.INFO.id(), ingress, view);
        var out = new ArrayList<Timeout>();
        for (var name : IngressNginxTimeoutInvalid.TIMEOUTS) {
            var written = annotations.get(prefix + "/" + name);
            var fallback = IngressNginxTimeoutInvalid.defaultSeconds(name);
            if (written == null && fallback.isEmpty()) {
                continue; // next-upstream: no limit unless set
            }
            var problem = findings.stream().filter(f -> f.key().equals(name) || f.key().startsWith(name + ":"))
                    .findFirst().map(Problem::of).orElse(null);
            var parsed = IngressNginxTimeoutInvalid.wholeSeconds(written);
            String value;
            String source;
            if (parsed.isPresent()) {
                value = parsed.getAsLong() + " s";
                source = "annotation";
            } else if (fallback.isPresent()) {
                value = fallback.getAsLong() + " s";
                source = written == null ? "default" : "default (annotation \"" + written + "\" ignored)";
            } else {
                value = "no limit";
                source = "default (annotation \"" + written + "\" ignored)";
            }
            out.add(new Timeout(name, value, source, NGINX_NOTES.get(name), problem));
        }
        return out;
    }

    private static List<Timeout> httpRoute(HTTPRoute route, int rule) {
        var rules = route.getSpec() == null ? null : route.getSpec().getRules();
        var timeouts = rules == null || rule < 0 || rule >= rules.size() || rules.get(rule) == null ? null
                : rules.get(rule).getTimeouts();
        var out = new ArrayList<Timeout>();
        out.add(gatewayTimeout("timeouts.request", timeouts == null ? null : timeouts.getRequest(),
                "the whole request, from the gateway receiving it to the response: 504 past it",
                "the implementation's default applies (Envoy-based gateways such as Envoy Gateway and Contour end a "
                        + "request at 15 s, Envoy's route default)"));
        out.add(gatewayTimeout("timeouts.backendRequest", timeouts == null ? null : timeouts.getBackendRequest(),
                "one try to the backend: 504 past it", "each try to the backend is bounded by the request timeout only"));
        return out;
    }

    private static Timeout gatewayTimeout(String name, String value, String note, String unset) {
        if (value == null || value.isEmpty()) {
            return new Timeout(name, "unset", "unset", unset, null);
        }
        if (GoDuration.parse(value).map(d -> d.isZero()).orElse(false)) {
            return new Timeout(name, value, "route", "0 turns the timeout off", null);
        }
        return new Timeout(name, value, "route", note, null);
    }

    /** The rule index of {@code rules[2].backendRefs[0]}, or -1. */
    static int ruleIndex(String field) {
        if (!field.startsWith("rules[")) {
            return -1;
        }
        try {
            return Integer.parseInt(field.substring("rules[".length(), field.indexOf(']')));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
