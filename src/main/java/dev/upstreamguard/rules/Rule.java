package dev.upstreamguard.rules;

import java.util.List;

import dev.upstreamguard.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A small pure function from an object and a cluster view to findings: no I/O, no client, no clock, no mode.
 * Whether a finding denies is decided elsewhere ({@code policy}).
 */
public interface Rule<T extends HasMetadata> {

    RuleInfo info();

    /** The kind of object this rule checks. */
    Class<T> subjectType();

    List<Finding> check(T subject, ClusterView view);
}
