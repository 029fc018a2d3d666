package dev.upstreamguard.explain;

import static dev.upstreamguard.explain.Views.BASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.upstreamguard.cli.ExplainOptions;
import dev.upstreamguard.explain.ExplainQuery.Subject;

/**
 * What explain is asked: a URL read as the data plane reads it, or NAMESPACE/NAME. Bad input is refused in one line
 * that says what is wrong; a host or object nothing knows is an answer, with the closest names known.
 */
class ExplainInputTest {

    @Test
    void aUrlIsReadAsTheDataPlaneReadsIt() {
        var u = RequestUrl.parse("HTTPS://Shop.Example.COM./api/caf%C3%A9?v=2&v=3&flag");
        assertThat(u.scheme()).isEqualTo("https");
        assertThat(u.host()).isEqualTo("shop.example.com");
        assertThat(u.port()).isEqualTo(443);
        assertThat(u.path()).isEqualTo("/api/café");
        assertThat(u.query()).containsEntry("v", "2").containsEntry("flag", "");
        var bare = RequestUrl.parse("shop.example.com:8080");
        assertThat(bare.scheme()).as("https without a scheme").isEqualTo("https");
        assertThat(bare.port()).isEqualTo(8080);
        assertThat(bare.path()).isEqualTo("/");
        assertThat(RequestUrl.parse("http://shop.example.com").port()).isEqualTo(80);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ftp://shop.example.com/|not an http or https URL",
            "https:///path|no host in the URL",
            "https://shop example.com/|not a URL",
            "https://exa$mple.com/|not a host name",
            "' '|no URL"})
    void aBadUrlIsRefusedInOneLine(String url, String says) {
        assertThatThrownBy(() -> RequestUrl.parse(url)).isInstanceOf(ExplainInputException.class)
                .hasMessageContaining(says).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> RequestUrl.parse("https://shop.example.com/" + "a".repeat(5000)))
                .hasMessageContaining("longer than 4096");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"shop", "shop/", "/web", "Shop/web", "shop/web/x", "shop/web_1"})
    void aNameThatIsNotNamespaceSlashNameIsRefused(String name) {
        assertThatThrownBy(() -> ExplainQuery.object(Subject.INGRESS, name)).isInstanceOf(ExplainInputException.class)
                .hasMessageStartingWith("ingress must be NAMESPACE/NAME");
    }

    @Test
    void aMethodAndHeadersDescribeTheRequest() {
        var q = ExplainQuery.url("https://shop.example.com/", "post", List.of("X-Canary: yes", "Content-Type: application/grpc"));
        assertThat(q.method()).isEqualTo("POST");
        assertThat(q.headers()).containsEntry("x-canary", "yes");
        assertThat(q.grpc()).isTrue();
        assertThatThrownBy(() -> ExplainQuery.url("https://x.example.com/", "G E T", List.of()))
                .hasMessageStartingWith("not an HTTP method");
        assertThatThrownBy(() -> ExplainQuery.url("https://x.example.com/", null, List.of("no colon")))
                .hasMessageStartingWith("not a header \"Name: value\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''|nothing to explain",
            "https://a.example.com/ https://b.example.com/|explain one thing at a time",
            "https://a.example.com/ --ingress shop/web|explain one thing at a time",
            "https://a.example.com/ -o yaml|-o must be text or json",
            "https://a.example.com/ --cluster none|--cluster must be live or a snapshot directory",
            "--ingress shop/web -X POST|-X and -H describe a request",
            "https://a.example.com/ --frobnicate|unknown flag --frobnicate",
            "https://a.example.com/ --cluster|flag --cluster needs a value"})
    void badCommandLinesAreRefusedInOneLine(String line, String says) {
        var args = line.isEmpty() ? new String[0] : line.split(" ");
        assertThatThrownBy(() -> ExplainOptions.parse(args)).isInstanceOf(ExplainInputException.class)
                .hasMessageStartingWith(says);
    }

    @Test
    void aCommandLineParses() {
        var o = ExplainOptions.parse("https://shop.example.com/api", "--cluster=examples/demo-cluster", "-o", "json", "-X",
                "put", "-H", "X-A: b");
        assertThat(o.cluster()).isEqualTo("examples/demo-cluster");
        assertThat(o.output()).isEqualTo("json");
        assertThat(o.query().method()).isEqualTo("PUT");
        assertThat(o.query().headers()).containsEntry("x-a", "b");
        assertThat(ExplainOptions.parse("--service", "shop/api").query().subject()).isEqualTo(Subject.SERVICE);
        assertThat(ExplainOptions.parse("--route", "shop/api").cluster()).as("live by default").isEqualTo("live");
    }

    @Test
    void anUnknownHostIsAnsweredWithTheClosestKnownHosts() {
        var view = Views.of(BASE, Views.ingress("web", null, "shop.example.com", "Prefix / web"),
                Views.ingress("api", null, "api.example.com", "Prefix / api"),
                Views.ingress("blog", null, "blog.example.org", "Prefix / blog"));
        var e = Views.url(view, "https://shop.exmaple.com/");
        assertThat(e.sections()).isEmpty();
        assertThat(e.suggestions()).startsWith("shop.example.com", "api.example.com");
        assertThat(e.firstBroken()).hasValueSatisfying(h -> {
            assertThat(h.name()).isEqualTo("host");
            assertThat(h.problem().fix()).contains("the closest hosts served here: shop.example.com");
        });
        assertThat(ExplainText.render(e)).contains("closest known: shop.example.com, api.example.com");
    }

    @Test
    void anUnknownObjectIsAnsweredWithTheClosestNamesInItsNamespace() {
        var view = Views.of(BASE, Views.ingress("web", null, "shop.example.com", "Prefix / web"),
                Views.ingress("admin", null, "admin.example.com", "Prefix / admin"));
        var e = Views.object(view, Subject.INGRESS, "shop/wbe");
        assertThat(e.suggestions()).containsExactly("web", "admin");
        assertThat(e.firstBroken()).hasValueSatisfying(h -> assertThat(h.problem().message())
                .isEqualTo("no Ingress shop/wbe in this view (namespace shop has: web, admin)."));
        assertThat(Views.object(view, Subject.SERVICE, "other/web").firstBroken()).hasValueSatisfying(h ->
                assertThat(h.problem().message()).contains("namespace other has: none"));
    }
}
