package dev.upstreamguard.cluster;

/**
 * One container port a pod source declares: the container, the port's name (may be null), number and protocol.
 * Declarations from sidecar init containers ({@code restartPolicy: Always}) count like regular containers.
 */
public record PortDecl(String container, String name, int number, String protocol) {

    public PortDecl {
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
        name = name == null || name.isEmpty() ? null : name;
    }

    /** {@code 8080/"http"} or {@code 8080}, with the protocol only when it is not TCP. */
    public String describe() {
        var s = name == null ? Integer.toString(number) : number + "/\"" + name + "\"";
        return "TCP".equals(protocol) ? s : s + " " + protocol;
    }
}
