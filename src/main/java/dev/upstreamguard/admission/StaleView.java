package dev.upstreamguard.admission;

import java.util.ArrayList;
import java.util.List;

import dev.upstreamguard.policy.Decision;
import dev.upstreamguard.policy.Verdict;

/**
 * What a decision made on a stale cluster view says: its would-be denials (decided in warn mode) are warnings with
 * the reason "stale view, would deny", led by one notice naming how stale and which kinds. Watches drop and reconnect
 * routinely, so readiness does not flap on it; past {@code upstream-guard.cache.max-staleness} the guard stops denying.
 */
final class StaleView {
    static final String REASON = "stale view, would deny";

    private StaleView() {
    }

    static boolean wouldDeny(Decision decision) {
        return decision.verdicts().stream().anyMatch(Verdict::wouldDeny);
    }

    /** @param why e.g. "cluster view stale for 75s (Pod not watching)" */
    static Decision soften(Decision decision, String why) {
        var verdicts = new ArrayList<Verdict>();
        for (var v : decision.verdicts()) {
            verdicts.add(v.wouldDeny() ? new Verdict(v.finding(), v.action(), REASON, true) : v);
        }
        var notices = new ArrayList<String>();
        notices.add("[upstream-guard] " + why + ": would deny, allowed instead");
        notices.addAll(decision.notices());
        return new Decision(decision.allowed(), List.copyOf(verdicts), List.copyOf(notices), null);
    }
}
