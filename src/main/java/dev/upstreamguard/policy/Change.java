package dev.upstreamguard.policy;

import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One admission request, reduced to what the decision needs.
 *
 * @param uid         the request's uid, echoed in the response and logged
 * @param operation   CREATE, UPDATE, DELETE or CONNECT
 * @param ref         the object under review
 * @param object      the new object (null on DELETE)
 * @param oldObject   the old object (null on CREATE)
 * @param username    who asked
 * @param dryRun      nothing will be persisted
 * @param subResource e.g. {@code status}, {@code scale}; null for the main resource
 */
public record Change(String uid, String operation, ObjectRef ref, HasMetadata object, HasMetadata oldObject,
                     String username, boolean dryRun, String subResource) {

    public boolean isCreate() {
        return "CREATE".equals(operation);
    }

    public boolean isUpdate() {
        return "UPDATE".equals(operation);
    }

    public boolean isDelete() {
        return "DELETE".equals(operation);
    }

    /** The object as it stands in the request: the new one, or the old one on DELETE. */
    public HasMetadata current() {
        return object != null ? object : oldObject;
    }
}
