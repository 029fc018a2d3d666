package dev.upstreamguard.admission;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;

/** What observers need to know of a request, read from the request itself. */
public final class Requests {
    private Requests() {
    }

    /** The kind judged: the parent's for a handled subresource ({@code deployments/scale} -> Deployment). */
    public static String kind(AdmissionRequest r) {
        var parent = HandledKinds.parentOfSubresource(r.getResource(), r.getSubResource());
        if (parent.isPresent()) {
            return parent.get();
        }
        return r.getKind() == null || r.getKind().getKind() == null ? "unknown" : r.getKind().getKind();
    }

    public static String operation(AdmissionRequest r) {
        return r.getOperation() == null ? "unknown" : r.getOperation();
    }

    public static boolean dryRun(AdmissionRequest r) {
        return Boolean.TRUE.equals(r.getDryRun());
    }

    /** The object's uid when the request carries one (never on a CREATE: the API server assigns it later). */
    public static String objectUid(AdmissionRequest r) {
        for (var o : new Object[] {r.getObject(), r.getOldObject()}) {
            if (o instanceof HasMetadata m && m.getMetadata() != null && m.getMetadata().getUid() != null
                    && !HandledKinds.parentOfSubresource(r.getResource(), r.getSubResource()).isPresent()) {
                return m.getMetadata().getUid();
            }
        }
        return null;
    }

    /** The apiVersion of the judged kind. */
    public static String apiVersion(String kind) {
        return dev.upstreamguard.cluster.ApiVersions.of(kind);
    }
}
