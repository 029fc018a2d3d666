package dev.upstreamguard.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.upstreamguard.rules.RuleCatalog;
import dev.upstreamguard.rules.Severity;

/**
 * The decision's settings as a plain value, so the policy runs without CDI in tests and tools.
 *
 * @param mode            the global mode
 * @param denyDeletes     DELETEs that break a route are denied instead of warned
 * @param protectUnrouted regressions on unrouted Services deny too
 * @param severities      per-rule overrides; an absent value means the rule is off
 * @param exemptUsers     users never evaluated
 */
public record PolicySettings(Mode mode, boolean denyDeletes, boolean protectUnrouted,
                             Map<String, Optional<Severity>> severities, List<String> exemptUsers) {

    public static PolicySettings defaults() {
        return new PolicySettings(Mode.ENFORCE, false, false, Map.of(), List.of());
    }

    /** Validates and converts raw configuration; a bad value fails startup with a message naming the key. */
    public static PolicySettings of(String mode, String deletes, boolean protectUnrouted, Map<String, String> severity,
                                    List<String> exemptUsers) {
        var m = Mode.parse(mode).orElseThrow(() -> new IllegalArgumentException(
                "upstream-guard.mode must be enforce, warn or off, not \"" + mode + "\""));
        boolean denyDeletes = switch (deletes.trim().toLowerCase(Locale.ROOT)) {
            case "deny" -> true;
            case "warn" -> false;
            default -> throw new IllegalArgumentException(
                    "upstream-guard.deletes must be warn or deny, not \"" + deletes + "\"");
        };
        var severities = new HashMap<String, Optional<Severity>>();
        severity.forEach((rule, value) -> {
            if (RuleCatalog.info(rule).isEmpty()) {
                throw new IllegalArgumentException("upstream-guard.severity.\"" + rule + "\": no such rule");
            }
            severities.put(rule, switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "error" -> Optional.of(Severity.ERROR);
                case "warning" -> Optional.of(Severity.WARNING);
                case "off" -> Optional.empty();
                default -> throw new IllegalArgumentException("upstream-guard.severity.\"" + rule
                        + "\" must be error, warning or off, not \"" + value + "\"");
            });
        });
        return new PolicySettings(m, denyDeletes, protectUnrouted, Map.copyOf(severities), List.copyOf(exemptUsers));
    }

    public PolicySettings withMode(Mode m) {
        return new PolicySettings(m, denyDeletes, protectUnrouted, severities, exemptUsers);
    }

    public PolicySettings withDenyDeletes(boolean deny) {
        return new PolicySettings(mode, deny, protectUnrouted, severities, exemptUsers);
    }

    public PolicySettings withProtectUnrouted(boolean protect) {
        return new PolicySettings(mode, denyDeletes, protect, severities, exemptUsers);
    }

    public PolicySettings withSeverity(String rule, Severity s) {
        var copy = new HashMap<>(severities);
        copy.put(rule, Optional.ofNullable(s));
        return new PolicySettings(mode, denyDeletes, protectUnrouted, Map.copyOf(copy), exemptUsers);
    }
}
