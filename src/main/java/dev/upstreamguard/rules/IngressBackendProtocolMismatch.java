package dev.upstreamguard.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.upstreamguard.cluster.Backend;
import dev.upstreamguard.cluster.ClusterView;
import dev.upstreamguard.cluster.IngressBackends;
import dev.upstreamguard.cluster.ObjectRef;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

/**
 * The protocol nginx speaks to a backend ({@code <prefix>/backend-protocol}, HTTP when absent) disagrees with what the
 * Service port's {@code appProtocol} says the backend speaks: the classic 502 "upstream sent no valid HTTP header".
 * Judged only when both are known. The mapping:
 * <ul>
 *   <li>appProtocol {@code http}, {@code kubernetes.io/ws} (any case): plain HTTP/1.1; fits {@code HTTP} and
 *       {@code AUTO_HTTP}.</li>
 *   <li>{@code https}, {@code kubernetes.io/wss}: HTTP over TLS; fits {@code HTTPS}, {@code GRPCS} (gRPC over TLS is
 *       HTTPS to nginx's TLS layer) and {@code AUTO_HTTP}.</li>
 *   <li>{@code kubernetes.io/h2c}, {@code h2c}, {@code http2}, {@code grpc}: cleartext HTTP/2; fits {@code GRPC}
 *       only.</li>
 *   <li>Any other appProtocol ({@code tcp}, {@code tls}, {@code grpc-web}, a domain-prefixed name ...), no appProtocol,
 *       or an annotation value other than HTTP, HTTPS, GRPC, GRPCS, AUTO_HTTP, FCGI (e.g. AJP): not judged.</li>
 *   <li>{@code FCGI} fits none of the three: an appProtocol of the HTTP family says the backend is no FastCGI server.</li>
 * </ul>
 * The annotation applies to every path of the Ingress, so a finding is reported per backend.
 */
public final class IngressBackendProtocolMismatch extends IngressRule {
    public static final RuleInfo INFO = new RuleInfo("ingress-backend-protocol-mismatch", Severity.WARNING,
            "ingress-nginx backend-protocol disagrees with the Service port's appProtocol",
            "nginx speaks to the backend in the protocol of the backend-protocol annotation (HTTP when absent). When "
                    + "the Service port's appProtocol says the backend speaks another one (TLS, cleartext HTTP/2 or "
                    + "gRPC, plain HTTP), every request fails with 502: \"upstream sent no valid HTTP header\", "
                    + "\"wrong version number\", or \"upstream prematurely closed connection\".",
            "Set the backend-protocol annotation to what the backend speaks (HTTPS, GRPC, GRPCS, or HTTP/absent), or "
                    + "correct the Service port's appProtocol. Split the Ingress when its backends speak different "
                    + "protocols: the annotation applies to all its paths.");

    /** What the backend speaks according to appProtocol. */
    enum Wire {
        HTTP1("plain HTTP/1.1", "HTTP"),
        TLS("HTTP over TLS", "HTTPS"),
        H2C("cleartext HTTP/2 (h2c, gRPC)", "GRPC");

        final String description;
        final String annotationValue;

        Wire(String description, String annotationValue) {
            this.description = description;
            this.annotationValue = annotationValue;
        }
    }

    private static final Map<String, Wire> APP_PROTOCOLS = Map.of(
            "http", Wire.HTTP1, "kubernetes.io/ws", Wire.HTTP1,
            "https", Wire.TLS, "kubernetes.io/wss", Wire.TLS,
            "kubernetes.io/h2c", Wire.H2C, "h2c", Wire.H2C, "http2", Wire.H2C, "grpc", Wire.H2C);

    /** backend-protocol value -> the appProtocol wires it fits. */
    private static final Map<String, Set<Wire>> FITS = Map.of(
            "HTTP", Set.of(Wire.HTTP1),
            "HTTPS", Set.of(Wire.TLS),
            "GRPC", Set.of(Wire.H2C),
            "GRPCS", Set.of(Wire.TLS),
            "AUTO_HTTP", Set.of(Wire.HTTP1, Wire.TLS),
            "FCGI", Set.of());

    private final String prefix;

    /** Reads {@code backend-protocol} under {@code prefix}, the controller's {@code --annotations-prefix}. */
    public IngressBackendProtocolMismatch(String prefix) {
        this.prefix = IngressNginx.normalizePrefix(prefix);
    }

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public List<Finding> check(Ingress ingress, ClusterView view) {
        if (!IngressNginx.servedByNginx(ingress, view)) {
            return List.of(); // another controller serves it: ingress-nginx's annotations and defaults do not apply
        }
        var raw = IngressNginx.annotation(ingress, prefix + "/backend-protocol");
        var protocol = raw == null ? "HTTP" : raw.trim().toUpperCase(Locale.ROOT);
        var fits = FITS.get(protocol);
        if (fits == null) {
            return List.of(); // AJP or a value ingress-nginx rejects: not judged here
        }
        var out = new ArrayList<Finding>();
        var ns = ingress.getMetadata().getNamespace();
        for (var b : IngressBackends.of(ingress)) {
            var service = view.service(b.service().namespace(), b.service().name()).orElse(null);
            var port = service == null ? null : port(Services.ports(service), b);
            var wire = port == null || port.getAppProtocol() == null ? null
                    : APP_PROTOCOLS.get(port.getAppProtocol().trim().toLowerCase(Locale.ROOT));
            if (wire != null && !fits.contains(wire)) {
                out.add(finding(b, ObjectRef.of(service), port, wire, raw == null ? null : protocol));
            }
        }
        return out;
    }

    private static ServicePort port(List<ServicePort> ports, Backend b) {
        for (var p : ports) {
            if (b.portName() != null ? b.portName().equals(p.getName())
                    : b.portNumber() != null && b.portNumber().equals(p.getPort())) {
                return p;
            }
        }
        return null; // ingress-service-port-missing says so
    }

    /** What nginx logs and answers when it speaks {@code protocol} to a backend speaking {@code wire}. */
    private static String symptom(String protocol, Wire wire) {
        if (protocol.equals("FCGI")) {
            return "every request fails with 502 (\"upstream sent unsupported FastCGI protocol version\")";
        }
        if (protocol.equals("HTTPS") || protocol.equals("GRPCS")) {
            return "nginx's TLS handshake fails (\"wrong version number\"), every request gets 502";
        }
        if (wire == Wire.TLS) {
            return "the backend waits for a TLS handshake, every request gets 400 (\"plain HTTP request was sent to "
                    + "HTTPS port\") or 502";
        }
        if (wire == Wire.H2C) {
            return "every request fails with 502 (\"upstream sent no valid HTTP/1.0 header\")";
        }
        return "every request fails with 502 (\"upstream prematurely closed connection\")"; // HTTP/2 to an HTTP/1 server
    }

    private Finding finding(Backend b, ObjectRef svc, ServicePort port, Wire wire, String annotated) {
        var key = prefix + "/backend-protocol";
        var speaks = annotated == null ? "HTTP (" + key + " absent)" : annotated + " (" + key + ")";
        var message = b.describe() + " -> " + svc + " port "
                + Services.describe(port) + ": nginx speaks " + speaks + ", but the port's appProtocol \""
                + port.getAppProtocol() + "\" says the backend speaks " + wire.description + ": "
                + symptom(annotated == null ? "HTTP" : annotated, wire) + ".";
        var fix = (wire == Wire.HTTP1 ? "remove " + key + " (or set it to \"HTTP\")"
                : "set " + key + ": \"" + wire.annotationValue + "\"")
                + ", or correct appProtocol on " + svc + " port " + Services.describe(port)
                + " if the backend really speaks " + (annotated == null ? "HTTP" : annotated) + ".";
        var summary = b.brief() + ": backend-protocol " + (annotated == null ? "HTTP" : annotated)
                + ", appProtocol " + port.getAppProtocol();
        return INFO.finding(b.route(), b.routeKey(), summary, message, fix, List.of(b.route(), svc));
    }
}
