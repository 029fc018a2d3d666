package dev.upstreamguard.cli;

import java.util.Optional;

import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** Where a replayed sync writes: what the API server holds, and the view the webhook decides on. */
public interface SyncTarget {

    /** The whole object of a judged kind as the API server holds it, if there is one: an UPDATE's oldObject. */
    Optional<HasMetadata> live(ObjectRef ref);

    /** Stores an object, as the API server does after an allowed write. */
    void put(HasMetadata object);

    void remove(HasMetadata object);
}
