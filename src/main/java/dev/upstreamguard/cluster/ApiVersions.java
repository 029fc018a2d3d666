package dev.upstreamguard.cluster;

/** The apiVersion of each kind the guard judges or reports on: one place for Events, reports and the audit. */
public final class ApiVersions {
    private ApiVersions() {
    }

    /** {@code networking.k8s.io/v1} for an Ingress, {@code apps/v1} for a workload, and so on; v1 for anything else. */
    public static String of(String kind) {
        return switch (kind) {
            case "Ingress", "IngressClass" -> "networking.k8s.io/v1";
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet" -> "apps/v1";
            case "HTTPRoute", "GRPCRoute", "Gateway", "ReferenceGrant" -> "gateway.networking.k8s.io/v1";
            default -> "v1";
        };
    }
}
