package dev.upstreamguard.admission;

import dev.upstreamguard.policy.Decision;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;

/**
 * Told about every answered review, after the answer is made: metrics and Events hang off this. Must be fast and must
 * not throw (a throwing observer is logged and ignored); anything slow goes to a queue.
 */
@FunctionalInterface
public interface ReviewObserver {
    ReviewObserver NONE = (request, decision, nanos) -> {
    };

    void reviewed(AdmissionRequest request, Decision decision, long nanos);
}
