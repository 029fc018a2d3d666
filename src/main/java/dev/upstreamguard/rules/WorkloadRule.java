package dev.upstreamguard.rules;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** A rule over a reviewed workload (Deployment, StatefulSet, DaemonSet); other objects are left alone. */
abstract class WorkloadRule implements Rule<HasMetadata> {
    @Override
    public Class<HasMetadata> subjectType() {
        return HasMetadata.class;
    }
}
