package dev.upstreamguard.policy;

import dev.upstreamguard.rules.Finding;

/**
 * The decision on one finding.
 *
 * @param finding the finding, with its effective severity
 * @param action  deny, warn or waived
 * @param reason  why it is only a warning, as a short qualifier ("dry run", "already broken", "not found yet",
 *                "on delete", "unrouted", "would deny", "waived" ...); empty for a denial or a plain warning
 * @param wouldDeny in warn mode, true when enforce mode would have denied
 */
public record Verdict(Finding finding, Action action, String reason, boolean wouldDeny) {
}
