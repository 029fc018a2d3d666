package dev.upstreamguard.cluster;

/**
 * One route to a Service, whatever kind of object wrote it: an Ingress rule path or {@code defaultBackend}, or (Gateway
 * API) one {@code backendRefs[]} entry of an HTTPRoute or GRPCRoute rule. Every rule and the audit consume this one
 * shape without asking which kind of route it came from.
 *
 * @param route      the object that holds the route (an Ingress, an HTTPRoute ...)
 * @param field      where it sits in that object: {@code rules[0].http.paths[1]}, {@code defaultBackend},
 *                   {@code rules[1].backendRefs[0]}
 * @param host       the host it serves, or null for any host / the default backend
 * @param path       the path (or match) it serves, or null for the default backend
 * @param pathType   {@code Prefix}, {@code Exact}, {@code ImplementationSpecific}, {@code PathPrefix} ...; null when
 *                   there is no path
 * @param service    the Service it names (for Gateway API possibly in another namespace)
 * @param portNumber the Service port it asks for by number, or null
 * @param portName   the Service port it asks for by name, or null
 * @param key        identity across edits of the same route object, which shift list indexes: for an Ingress its host,
 *                   path and path type ({@code Exact /a} and {@code Prefix /a} are two routes); for a Gateway API
 *                   backendRef its rule (name, or first hostname and match) and its place among the rule's backendRefs
 * @param where      what it serves, for messages: {@code shop.example.com/api}, {@code shop.example.com /catalog},
 *                   {@code default backend}
 */
public record Backend(ObjectRef route, String field, String host, String path, String pathType, ObjectRef service,
                      Integer portNumber, String portName, String key, String where) {

    /** A route of kind {@code routeKind} whose Service lives in the route's namespace. */
    public static ObjectRef serviceIn(ObjectRef route, String namespace, String name) {
        return new ObjectRef("Service", namespace == null ? route.namespace() : namespace, name);
    }

    /** An Ingress path or default backend, keyed by host, path and path type. */
    public static Backend ingress(ObjectRef ingress, String field, String host, String path, String pathType,
                                  ObjectRef service, Integer portNumber, String portName) {
        if (field.equals("defaultBackend")) {
            return new Backend(ingress, field, null, null, null, service, portNumber, portName, "defaultBackend",
                    "default backend");
        }
        var h = host == null ? "*" : host;
        var p = path == null ? "" : path;
        return new Backend(ingress, field, host, path, pathType, service, portNumber, portName,
                h + p + (pathType == null ? "" : " " + pathType), h + p);
    }

    /** The identity that survives edits (see {@link #key}). */
    public String routeKey() {
        return key;
    }

    /** {@code port 8080} or {@code port "http"}; {@code no port} when the route names none. */
    public String portLabel() {
        if (portName != null) {
            return "port \"" + portName + "\"";
        }
        return portNumber != null ? "port " + portNumber : "no port";
    }

    /** {@code Ingress shop/web rules[0].http.paths[0] (shop.example.com/api)}: the route, as messages name it. */
    public String describe() {
        return route + " " + field + " (" + where() + ")";
    }

    /** {@code Ingress shop/web (shop.example.com/api)}: the short form for warnings. */
    public String brief() {
        return route + " (" + where() + ")";
    }

    /** True when the route asks for this Service port, by name or by number (an unnamed port never matches a name). */
    public boolean asksFor(String name, Integer number) {
        if (portName != null) {
            return name != null && !name.isEmpty() && portName.equals(name);
        }
        return portNumber != null && portNumber.equals(number);
    }
}
