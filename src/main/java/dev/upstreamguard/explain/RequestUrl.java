package dev.upstreamguard.explain;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A URL as the data plane sees the request: scheme, host (lower case, no trailing dot), port (the scheme's when none is
 * written), the decoded path ({@code /} when empty) and the query parameters (the first value of each). Without a
 * scheme, {@code https} is assumed.
 *
 * @param text   the URL as given
 * @param scheme {@code http} or {@code https}
 * @param host   the host
 * @param port   the port
 * @param path   the decoded path
 * @param query  the query parameters, first value of each, in order
 */
public record RequestUrl(String text, String scheme, String host, int port, String path, Map<String, String> query) {
    static final int MAX_LENGTH = 4096;
    private static final Pattern HOST = Pattern.compile(
            "[a-z0-9]([-a-z0-9_]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9_]{0,61}[a-z0-9])?)*");

    public RequestUrl {
        query = Map.copyOf(query);
    }

    /** Parses {@code url}; anything that is not an http(s) URL with a host is an {@link ExplainInputException}. */
    public static RequestUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new ExplainInputException("no URL: give one such as https://shop.example.com/api/orders");
        }
        var text = url.trim();
        if (text.length() > MAX_LENGTH) {
            throw new ExplainInputException("the URL is longer than " + MAX_LENGTH + " characters");
        }
        var withScheme = text.contains("://") ? text : "https://" + text;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new ExplainInputException("not a URL: \"" + shorten(text) + "\" (" + e.getReason() + ")");
        }
        var scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ExplainInputException("not an http or https URL: \"" + shorten(text) + "\"");
        }
        var host = uri.getHost();
        if ((host == null || host.isEmpty()) && uri.getRawAuthority() != null) {
            throw new ExplainInputException("not a host name: \"" + shorten(uri.getRawAuthority()) + "\"");
        }
        if (host == null || host.isEmpty()) {
            throw new ExplainInputException("no host in the URL \"" + shorten(text) + "\"");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (!HOST.matcher(host).matches() || host.length() > 253) {
            throw new ExplainInputException("not a host name: \"" + shorten(host) + "\"");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        var path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        return new RequestUrl(text, scheme, host, port, path, query(uri.getRawQuery()));
    }

    private static Map<String, String> query(String raw) {
        var out = new LinkedHashMap<String, String>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (var pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            var name = decode(eq < 0 ? pair : pair.substring(0, eq));
            var value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(name, value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a stray % is taken as written, as the proxies do
        }
    }

    static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
