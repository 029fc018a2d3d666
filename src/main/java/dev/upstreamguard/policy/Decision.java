package dev.upstreamguard.policy;

import java.util.List;

/**
 * The answer to one review.
 *
 * @param allowed  false only when at least one verdict denies
 * @param verdicts one per finding, denials first
 * @param notices  warnings that are not findings: not synced, a rule that failed, an unparseable mode
 * @param orderingHint when a denial could be an ordering artefact of {@code kubectl apply -f dir/}: how to stage it
 */
public record Decision(boolean allowed, List<Verdict> verdicts, List<String> notices, String orderingHint) {

    public static Decision allow(List<String> notices) {
        return new Decision(true, List.of(), List.copyOf(notices), null);
    }

    public List<Verdict> denials() {
        return verdicts.stream().filter(v -> v.action() == Action.DENY).toList();
    }
}
