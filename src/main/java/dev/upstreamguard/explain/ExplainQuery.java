package dev.upstreamguard.explain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code explain} is asked: a URL (with the request's method and headers, which Gateway API rules may match on),
 * or one object by namespace and name: an Ingress, an HTTPRoute or GRPCRoute, a Service.
 *
 * @param subject   what kind of question
 * @param url       the URL, for {@link Subject#URL}; else null
 * @param namespace the object's namespace, for the other subjects; else null
 * @param name      the object's name, for the other subjects; else null
 * @param method    the request's method ({@code GET} unless given)
 * @param headers   the request's headers, names in lower case
 */
public record ExplainQuery(Subject subject, RequestUrl url, String namespace, String name, String method,
                           Map<String, String> headers) {
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

    public ExplainQuery {
        headers = Map.copyOf(headers);
    }

    /** The kinds of question, with the parameter ({@code ?url=}, {@code ?ingress=} ...) that asks each. */
    public enum Subject {
        URL("url"), INGRESS("ingress"), ROUTE("route"), SERVICE("service");

        private final String parameter;

        Subject(String parameter) {
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    /** A URL, requested with {@code method} (null: GET) and {@code headers} ({@code "Name: value"} each). */
    public static ExplainQuery url(String url, String method, List<String> headers) {
        var m = method == null || method.isBlank() ? "GET" : method.trim().toUpperCase(Locale.ROOT);
        if (!METHOD.matcher(m).matches()) {
            throw new ExplainInputException("not an HTTP method: \"" + RequestUrl.shorten(method) + "\"");
        }
        var parsed = new LinkedHashMap<String, String>();
        for (var h : headers) {
            int colon = h.indexOf(':');
            var name = colon < 0 ? "" : h.substring(0, colon).trim();
            if (!HEADER_NAME.matcher(name).matches()) {
                throw new ExplainInputException("not a header \"Name: value\": \"" + RequestUrl.shorten(h) + "\"");
            }
            parsed.putIfAbsent(name.toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        return new ExplainQuery(Subject.URL, RequestUrl.parse(url), null, null, m, parsed);
    }

    /** An object, given as {@code NAMESPACE/NAME}. */
    public static ExplainQuery object(Subject subject, String namespacedName) {
        var flag = subject.parameter();
        if (namespacedName == null || namespacedName.isBlank()) {
            throw new ExplainInputException(flag + " needs NAMESPACE/NAME");
        }
        var parts = namespacedName.trim().split("/", -1);
        if (parts.length != 2 || !NAMESPACE.matcher(parts[0]).matches() || !NAME.matcher(parts[1]).matches()) {
            throw new ExplainInputException(flag + " must be NAMESPACE/NAME, such as shop/web, not \""
                    + RequestUrl.shorten(namespacedName) + "\"");
        }
        return new ExplainQuery(subject, null, parts[0], parts[1], "GET", Map.of());
    }

    /**
     * A gRPC call ({@code content-type: application/grpc...}): GRPCRoutes compete for it; any other request is matched
     * against HTTPRoutes.
     */
    public boolean grpc() {
        var type = headers.get("content-type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/grpc");
    }

    /** {@code https://shop.example.com/api} or {@code Ingress shop/web}, as the answer's first line names it. */
    public String describe() {
        return switch (subject) {
            case URL -> url.text();
            case INGRESS -> "Ingress " + namespace + "/" + name;
            case ROUTE -> "HTTPRoute/GRPCRoute " + namespace + "/" + name;
            case SERVICE -> "Service " + namespace + "/" + name;
        };
    }
}
