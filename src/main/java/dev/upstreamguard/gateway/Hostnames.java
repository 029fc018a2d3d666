package dev.upstreamguard.gateway;

import java.util.List;
import java.util.Locale;

/**
 * Gateway API hostname intersection. A wildcard {@code *.example.com} is a suffix match: it covers
 * {@code foo.example.com} and {@code a.b.example.com} but not {@code example.com}. Two wildcards intersect when one's
 * suffix covers the other's ({@code *.example.com} and {@code *.shop.example.com}).
 */
public final class Hostnames {
    private Hostnames() {
    }

    /** Whether some request host could match both {@code a} and {@code b}. Case and a trailing dot are ignored. */
    public static boolean intersect(String a, String b) {
        a = normalise(a);
        b = normalise(b);
        if (a.equals(b)) {
            return true;
        }
        boolean aWild = a.startsWith("*.");
        boolean bWild = b.startsWith("*.");
        if (aWild && bWild) {
            var aSuffix = a.substring(1);
            var bSuffix = b.substring(1);
            return aSuffix.endsWith(bSuffix) || bSuffix.endsWith(aSuffix);
        }
        if (aWild) {
            return covers(a, b);
        }
        return bWild && covers(b, a);
    }

    /**
     * Whether a listener with {@code listenerHostname} (null or empty: any host) matches a route with
     * {@code routeHostnames} (empty: any host): at least one pair must intersect when both name hostnames.
     */
    public static boolean listenerMatches(String listenerHostname, List<String> routeHostnames) {
        if (listenerHostname == null || listenerHostname.isEmpty() || routeHostnames.isEmpty()) {
            return true;
        }
        return routeHostnames.stream().anyMatch(h -> intersect(listenerHostname, h));
    }

    private static boolean covers(String wildcard, String host) {
        var suffix = wildcard.substring(1);
        return host.length() > suffix.length() && host.endsWith(suffix);
    }

    private static String normalise(String host) {
        var h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
