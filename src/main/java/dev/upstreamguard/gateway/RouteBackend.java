package dev.upstreamguard.gateway;

import dev.upstreamguard.cluster.ObjectRef;

/**
 * One {@code spec.rules[i].backendRefs[j]} entry of an HTTPRoute or GRPCRoute with the spec's defaults applied: group
 * {@code ""} (core), kind {@code Service}, namespace the route's, weight 1.
 *
 * @param route     the route: {@code HTTPRoute shop/web}
 * @param field     where it sits in the route: {@code rules[1].backendRefs[0]}
 * @param group     the backend's API group, {@code ""} for core
 * @param kind      the backend's kind
 * @param name      the backend's name
 * @param namespace the backend's namespace
 * @param port      the port it asks for (a Service port, never a targetPort), or null
 * @param weight    its share of the rule's traffic; 0 sends it nothing
 * @param host      the route's first hostname, or null when the route names none (any host)
 * @param match     the rule's first match for people: {@code /catalog} (a path prefix), {@code Exact /tea},
 *                  {@code helloworld.Greeter/SayHello}; null for a GRPCRoute rule that matches every call
 * @param ruleName  the rule's {@code name}, or null
 */
public record RouteBackend(ObjectRef route, String field, String group, String kind, String name, String namespace,
                           Integer port, int weight, String host, String match, String ruleName) {

    /** A core Service: the only backend kind the route rules judge; others are listed and skipped. */
    public boolean isService() {
        return group.isEmpty() && "Service".equals(kind);
    }

    /** The backend object: {@code Service backend/catalog}. */
    public ObjectRef target() {
        return new ObjectRef(kind, namespace, name);
    }

    /** Points into another namespace than the route's: then a ReferenceGrant there must permit it. */
    public boolean crossNamespace() {
        return !namespace.equals(route.namespace());
    }

    /** {@code shop.example.com /catalog}, {@code * Exact /tea}, {@code * helloworld.Greeter/SayHello}, {@code *}. */
    public String where() {
        var h = host == null ? "*" : host;
        return match == null ? h : h + " " + match;
    }

    /** {@code port 80}, or {@code no port} when the ref names none. */
    public String portLabel() {
        return port == null ? "no port" : "port " + port;
    }

    /**
     * Identity across edits of the same route, which shift list indexes: the rule (its name, or its first match and
     * first hostname) and the backend it names.
     */
    public String routeKey() {
        var rule = ruleName != null ? "rule " + ruleName : where();
        return rule + " -> " + kind + " " + namespace + "/" + name;
    }

    /**
     * The backendRef a route to a Service stands for, to judge its permission: group {@code ""}, kind {@code Service},
     * as the route model only carries Service backends.
     */
    public static RouteBackend of(dev.upstreamguard.cluster.Backend b) {
        return new RouteBackend(b.route(), b.field(), "", "Service", b.service().name(), b.service().namespace(),
                b.portNumber(), 1, b.host(), b.path(), null);
    }
}
