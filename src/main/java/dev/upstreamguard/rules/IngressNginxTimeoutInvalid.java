package dev.upstreamguard.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * An ingress-nginx timeout annotation that is not a whole number of seconds ({@code "120s"}, {@code "2m"},
 * {@code "-5"}, {@code ""}): the controller cannot parse it and silently keeps its default. Values it parses but nginx
 * does not honour as written are warnings: a connect timeout over 75 s, any timeout over an hour, a next-upstream
 * timeout longer than the read timeout (60 s when unset).
 */
public final class IngressNginxTimeoutInvalid extends IngressRule {
    public static final RuleInfo INFO = new RuleInfo("ingress-nginx-timeout-invalid", Severity.ERROR,
            "ingress-nginx timeout annotation is not a whole number of seconds",
            "ingress-nginx reads proxy-connect-timeout, proxy-read-timeout, proxy-send-timeout and "
                    + "proxy-next-upstream-timeout as plain integers of seconds. A unit (\"120s\", \"2m\"), a sign or an "
                    + "empty value fails to parse and is silently replaced by the controller's default (60 s for read "
                    + "and send, 5 s for connect): slow requests still end in 504 at the old limit. Warnings: nginx "
                    + "caps a connect timeout at 75 s, a timeout over an hour holds connections and workers that long, "
                    + "and a next-upstream timeout longer than the read timeout does not bound retries the way it reads.",
            "Write the timeout as a whole number of seconds without a unit (\"120\", not \"120s\"), at most 3600; keep "
                    + "proxy-connect-timeout at 75 or less and proxy-next-upstream-timeout at most the read timeout.");

    /** The annotation names this rule reads, in message order. */
    public static final List<String> TIMEOUTS = List.of("proxy-connect-timeout", "proxy-read-timeout", "proxy-send-timeout",
            "proxy-next-upstream-timeout");
    static final long CONNECT_CAP = 75;
    static final long AN_HOUR = 3600;
    static final long DEFAULT_READ = 60;
    static final long DEFAULT_CONNECT = 5;
    private static final Pattern WHOLE_SECONDS = Pattern.compile("[0-9]{1,18}");
    private static final Pattern WITH_UNIT = Pattern.compile(
            "\\+?([0-9]{1,9}(?:\\.[0-9]{1,9})?)\\s*(ms|s|secs?|seconds?|m|mins?|minutes?|h|hr|hours?)?",
            Pattern.CASE_INSENSITIVE);

    private final String prefix;

    /** Reads annotations under {@code prefix}, the controller's {@code --annotations-prefix}. */
    public IngressNginxTimeoutInvalid(String prefix) {
        this.prefix = IngressNginx.normalizePrefix(prefix);
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> check(Ingress ingress, ClusterView view) {
        if (!IngressNginx.servedByNginx(ingress, view)) {
            return List.of(); // another controller serves it: ingress-nginx's annotations and defaults do not apply
        }
        var annotations = ingress.getMetadata().getAnnotations();
        if (annotations == null || annotations.isEmpty()) {
            return List.of();
        }
        var ref = ObjectRef.of(ingress);
        var out = new ArrayList<Finding>();
        var seconds = new LinkedHashMap<String, Long>();
        for (var name : TIMEOUTS) {
            var value = annotations.get(prefix + "/" + name);
            if (value == null) {
                continue;
            }
            if (WHOLE_SECONDS.matcher(value).matches()) {
                seconds.put(name, Long.parseLong(value));
            } else {
                out.add(invalid(ref, name, value));
            }
        }
        seconds.forEach((name, s) -> {
            if (name.equals("proxy-connect-timeout") && s > CONNECT_CAP) {
                out.add(tooLong(ref, name, s, CONNECT_CAP, "capped", "nginx's connect timeout cannot usually exceed 75 s"
                        + " (the operating system gives up on the TCP handshake first): the value does not do what it says"));
            } else if (s > AN_HOUR) {
                out.add(tooLong(ref, name, s, AN_HOUR, "over-an-hour", "over an hour: every slow or stuck request "
                        + "holds an nginx connection and the client that long"));
            }
        });
        nextUpstreamAboveRead(ref, seconds).ifPresent(out::add);
        return out;
    }

    private Finding invalid(ObjectRef ref, String name, String value) {
        var key = prefix + "/" + name;
        var suggestion = suggest(value);
        var message = ref + " metadata.annotations[\"" + key + "\"] = \"" + value + "\": " + what(value)
                + "; ingress-nginx cannot parse it and silently uses its default instead (" + defaultOf(name) + ").";
        var fix = suggestion != null
                ? "write \"" + suggestion + "\" (whole seconds, no unit): " + key + ": \"" + suggestion + "\"."
                : "write a whole number of seconds without a unit, e.g. " + key + ": \""
                        + (name.equals("proxy-connect-timeout") ? "5" : "60") + "\", or remove the annotation.";
        var summary = ref + " " + name + "=\"" + shortValue(value) + "\": not whole seconds"
                + (suggestion != null ? ", use \"" + suggestion + "\"" : "");
        return INFO.finding(ref, name, summary, message, fix, List.of(ref));
    }

    private Finding tooLong(ObjectRef ref, String name, long s, long limit, String kind, String why) {
        var key = prefix + "/" + name;
        var message = ref + " metadata.annotations[\"" + key + "\"] = \"" + s + "\": " + why + ".";
        var fix = "set " + key + " to at most \"" + limit + "\"" + (kind.equals("capped") ? "; a backend that takes "
                + "longer to accept a connection is down, not slow." : ", or make the slow request asynchronous.");
        var summary = ref + " " + name + "=\"" + s + "\": over " + limit + " s"
                + (kind.equals("capped") ? " (nginx caps it)" : "");
        return INFO.finding(ref, name + ":" + kind, summary, message, fix, List.of(ref)).withSeverity(Severity.WARNING);
    }

    private Optional<Finding> nextUpstreamAboveRead(ObjectRef ref, Map<String, Long> seconds) {
        var next = seconds.get("proxy-next-upstream-timeout");
        long read = seconds.getOrDefault("proxy-read-timeout", DEFAULT_READ);
        if (next == null || next <= read) {
            return Optional.empty();
        }
        var readNote = seconds.containsKey("proxy-read-timeout") ? "proxy-read-timeout \"" + read + "\""
                : "the read timeout (" + DEFAULT_READ + " s when unset)";
        var message = ref + " metadata.annotations[\"" + prefix + "/proxy-next-upstream-timeout\"] = \"" + next
                + "\" is longer than " + readNote + ": each try already waits up to the read timeout, so the retry "
                + "budget does not bound the request the way it reads (the two values are often swapped).";
        var fix = "set " + prefix + "/proxy-next-upstream-timeout to at most \"" + read + "\", or raise "
                + prefix + "/proxy-read-timeout.";
        var summary = ref + " proxy-next-upstream-timeout=\"" + next + "\" > read timeout " + read + " s";
        return Optional.of(INFO.finding(ref, "proxy-next-upstream-timeout:above-read", summary, message, fix,
                List.of(ref)).withSeverity(Severity.WARNING));
    }

    /**
     * ingress-nginx's own default for a timeout annotation, in seconds, when its ConfigMap sets none: 5 for
     * proxy-connect-timeout, 60 for read and send; empty for proxy-next-upstream-timeout (no limit).
     */
    public static java.util.OptionalLong defaultSeconds(String name) {
        return switch (name) {
            case "proxy-connect-timeout" -> java.util.OptionalLong.of(DEFAULT_CONNECT);
            case "proxy-next-upstream-timeout" -> java.util.OptionalLong.empty();
            default -> java.util.OptionalLong.of(DEFAULT_READ);
        };
    }

    /** The value as ingress-nginx reads it: a whole number of seconds, or empty when it cannot (it then uses its default). */
    public static java.util.OptionalLong wholeSeconds(String value) {
        return value != null && WHOLE_SECONDS.matcher(value).matches()
                ? java.util.OptionalLong.of(Long.parseLong(value)) : java.util.OptionalLong.empty();
    }

    private static String what(String value) {
        if (value.isEmpty()) {
            return "empty, not a whole number of seconds";
        }
        if (value.trim().startsWith("-")) {
            return "negative, not a whole number of seconds";
        }
        return "not a whole number of seconds";
    }

    private static String defaultOf(String name) {
        return switch (name) {
            case "proxy-connect-timeout" -> "5 s unless its ConfigMap sets proxy-connect-timeout";
            case "proxy-next-upstream-timeout" -> "no limit unless its ConfigMap sets proxy-next-upstream-timeout";
            default -> "60 s unless its ConfigMap sets " + name;
        };
    }

    /** {@code "120s"} -> {@code "120"}, {@code "2m"} -> {@code "120"}, {@code "1.5"} -> {@code "2"}; null when unclear. */
    static String suggest(String value) {
        var m = WITH_UNIT.matcher(value.trim());
        if (!m.matches()) {
            return null;
        }
        var unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        var factor = switch (unit.charAt(0)) {
            case 'h' -> BigDecimal.valueOf(3600);
            case 'm' -> unit.equals("ms") ? new BigDecimal("0.001") : BigDecimal.valueOf(60);
            default -> BigDecimal.ONE;
        };
        var s = new BigDecimal(m.group(1)).multiply(factor).setScale(0, RoundingMode.CEILING);
        return s.signum() > 0 ? s.toPlainString() : null;
    }

    private static String shortValue(String value) {
        if (value.codePointCount(0, value.length()) <= 16) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, 15)) + "…"; // never split a surrogate pair
    }
}
