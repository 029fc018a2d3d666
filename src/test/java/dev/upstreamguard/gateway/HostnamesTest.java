package dev.upstreamguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostname intersection as the spec's HTTPRoute/GRPCRoute hostnames text and the hostname-intersection conformance test define it. */
class HostnamesTest {

    @ParameterizedTest(name = "{0} and {1} intersect: {2}")
    @CsvSource({
            "cafe.example.com, cafe.example.com, true",
            "CAFE.example.com, cafe.example.com., true",
            "cafe.example.com, tea.example.com, false",
            "*.example.com, foo.example.com, true",
            "*.example.com, a.b.example.com, true",
            "*.example.com, example.com, false",
            "*.example.com, foo.example.net, false",
            "*.example.com, badexample.com, false",
            "very.specific.com, *.specific.com, true",
            "wildcard.io, *.wildcard.io, false",
            "*.example.com, *.example.com, true",
            "*.example.com, *.shop.example.com, true",
            "*.shop.example.com, *.example.com, true",
            "*.example.com, *.example.net, false",
            "*.ample.com, *.example.com, false",
    })
    void intersect(String a, String b, boolean expected) {
        assertThat(Hostnames.intersect(a, b)).isEqualTo(expected);
        assertThat(Hostnames.intersect(b, a)).as("symmetric").isEqualTo(expected);
    }

    @Test
    void aListenerWithoutHostname_matchesAnyRoute() {
        assertThat(Hostnames.listenerMatches(null, List.of("shop.example.com"))).isTrue();
        assertThat(Hostnames.listenerMatches("", List.of("shop.example.com"))).isTrue();
    }

    @Test
    void aRouteWithoutHostnames_matchesAnyListener() {
        assertThat(Hostnames.listenerMatches("*.example.com", List.of())).isTrue();
    }

    @Test
    void oneIntersectingRouteHostnameIsEnough_andNoneIsNotEnough() {
        assertThat(Hostnames.listenerMatches("*.example.com", List.of("example.net", "shop.example.com"))).isTrue();
        assertThat(Hostnames.listenerMatches("*.example.com", List.of("example.net", "example.com"))).isFalse();
    }
}
