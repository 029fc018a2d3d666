package dev.upstreamguard.cluster;

import java.util.Map;

/** What the guard needs of a Namespace: its labels (the mode label) and whether it is being deleted. */
public record NamespaceState(String name, Map<String, String> labels, boolean terminating) {

    public static NamespaceState of(io.fabric8.kubernetes.api.model.Namespace ns) {
        var meta = ns.getMetadata();
        boolean terminating = meta.getDeletionTimestamp() != null
                || (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase()));
        return new NamespaceState(meta.getName(), meta.getLabels() == null ? Map.of() : Map.copyOf(meta.getLabels()),
                terminating);
    }
}
