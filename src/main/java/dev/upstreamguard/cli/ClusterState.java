package dev.upstreamguard.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The cluster a sync is replayed against: the indexed view the webhook decides on, and the whole objects of the kinds
 * it judges, so an object already there is sent as the {@code oldObject} of an UPDATE. Which kinds those are comes
 * from {@link dev.upstreamguard.admission.HandledKinds}: a kind added there is kept here without a change.
 */
public final class ClusterState implements SyncTarget {
    private final ClusterIndex index;
    private final Map<ObjectRef, HasMetadata> judged = new HashMap<>();

    public ClusterState(ClusterIndex index) {
        this.index = index;
    }

    public ClusterIndex index() {
        return index;
    }

    /** Adds or replaces an object, as the API server stores it after an allowed write. */
    @Override
    public void put(HasMetadata object) {
        index.put(object);
        if (ServedApis.judged(object)) {
            judged.put(ObjectRef.of(object), object);
        }
    }

    @Override
    public void remove(HasMetadata object) {
        index.remove(object);
        judged.remove(ObjectRef.of(object));
    }

    /** The stored object of a judged kind, if there is one. */
    @Override
    public Optional<HasMetadata> live(ObjectRef ref) {
        return Optional.ofNullable(judged.get(ref));
    }
}
