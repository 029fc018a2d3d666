package dev.upstreamguard.cluster;

/**
 * The readiness probe of one container of a pod source, as {@code explain} shows it: how it probes, where, and on which
 * path. Strings are shared between the pods of one template, so a cached pod pays for the record alone.
 *
 * @param container the container's name
 * @param handler   {@code httpGet}, {@code tcpSocket}, {@code grpc} or {@code exec}
 * @param port      the port as written: a name ({@code "http"}) or a number ({@code "8080"}); null for exec
 * @param path      the httpGet path, else null
 */
public record ProbeDecl(String container, String handler, String port, String path) {

    /** True when the probe names its port by name (the kubelet resolves it in the container's own ports). */
    public boolean namedPort() {
        return port != null && !port.isEmpty() && !port.chars().allMatch(Character::isDigit);
    }

    /** {@code httpGet port "http" path /ready}, {@code tcpSocket port 8080}, {@code exec}. */
    public String describe() {
        if (port == null) {
            return handler;
        }
        var s = handler + " port " + (namedPort() ? "\"" + port + "\"" : port);
        return path == null ? s : s + " path " + path;
    }
}
