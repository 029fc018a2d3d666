package dev.upstreamguard.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Names one Kubernetes object: kind, namespace and name. Equality is by value, so refs compare across views. */
public record ObjectRef(String kind, String namespace, String name) {

    public static ObjectRef of(HasMetadata object) {
        return new ObjectRef(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** {@code Kind ns/name}, the way every message names an object. */
    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }
}
