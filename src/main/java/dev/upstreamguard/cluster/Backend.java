package dev.upstreamguard.cluster;

/**
 * One Ingress backend that names a Service: a rule path or the {@code defaultBackend}.
 *
 * @param ingress     the Ingress
 * @param field       where it sits in the Ingress: {@code rules[0].http.paths[1]} or {@code defaultBackend}
 * @param host        the rule's host, or null for any host / the default backend
 * @param path        the path, or null for the default backend
 * @param service     the Service name
 * @param portNumber  {@code port.number}, or null
 * @param portName    {@code port.name}, or null
 */
public record Backend(ObjectRef ingress, String field, String host, String path, String service,
                      Integer portNumber, String portName) {

    /** Identity across edits of the same Ingress: host and path, not the list index, which shifts. */
    public String routeKey() {
        return field.equals("defaultBackend") ? "defaultBackend" : (host == null ? "*" : host) + (path == null ? "" : path);
    }

    /** {@code shop.example.com/api}, {@code any-host/api} (printed with a star for the host) or {@code default backend}. */
    public String where() {
        if (field.equals("defaultBackend")) {
            return "default backend";
        }
        return (host == null ? "*" : host) + (path == null ? "" : path);
    }

    /** {@code port 8080} or {@code port "http"}. */
    public String portLabel() {
        return portName != null ? "port \"" + portName + "\"" : "port " + portNumber;
    }

    public ObjectRef serviceRef() {
        return new ObjectRef("Service", ingress.namespace(), service);
    }
}
