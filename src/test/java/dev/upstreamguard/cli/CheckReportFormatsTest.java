package dev.upstreamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.upstreamguard.support.CheckRun;

/**
 * The machine-readable reports of one run with a denial, a warning, a refusal and a route broken at the end: JSON
 * (schema upstream-guard.dev/check/v1), SARIF 2.1.0 with file and line, GitHub workflow commands.
 */
class CheckReportFormatsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] ARGS = {"-f", "examples/check/port-typo.yaml", "-f",
            "examples/check/missing-service.yaml", "-f",
            "src/test/resources/check/refused/legacy-ingress.yaml", "--cluster", "examples/demo-cluster"};

    static String[] with(String... more) {
        var all = new String[ARGS.length + more.length];
        System.arraycopy(ARGS, 0, all, 0, ARGS.length);
        System.arraycopy(more, 0, all, ARGS.length, more.length);
        return all;
    }

    @Test
    void jsonHoldsEveryReviewWithItsFindingsAndTheSummary() throws Exception {
        var run = CheckRun.inProcess(with("-o", "json"));
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        JsonNode root = JSON.readTree(run.out());
        assertThat(root.path("apiVersion").asText()).isEqualTo("upstream-guard.dev/check/v1");
        assertThat(root.path("exitCode").asInt()).isEqualTo(1);
        assertThat(root.path("summary").toString())
                .isEqualTo("{\"objects\":3,\"reviews\":2,\"denied\":1,\"warned\":1,\"invalid\":1,\"broken\":1}");
        var denied = root.path("reviews").get(0);
        assertThat(denied.path("allowed").asBoolean()).isFalse();
        assertThat(denied.path("file").asText()).isEqualTo("examples/check/port-typo.yaml");
        assertThat(denied.path("line").asInt()).isEqualTo(2);
        assertThat(denied.path("operation").asText()).isEqualTo("UPDATE");
        assertThat(denied.path("findings").get(0).path("rule").asText()).isEqualTo("ingress-service-port-missing");
        assertThat(denied.path("findings").get(0).path("action").asText()).isEqualTo("deny");
        assertThat(root.path("invalid").get(0).path("reason").asText()).startsWith("extensions/v1beta1 Ingress");
        assertThat(root.path("broken").get(0).path("rule").asText()).isEqualTo("ingress-service-missing");
        assertThat(root.path("broken").get(0).path("name").asText()).isEqualTo("checkout");
    }

    @Test
    void sarifPutsEachFindingAtTheLineItsDocumentStarts() throws Exception {
        var run = CheckRun.inProcess(with("-o", "sarif"));
        assertThat(run.exit()).isEqualTo(1);
        JsonNode root = JSON.readTree(run.out());
        assertThat(root.path("version").asText()).isEqualTo("2.1.0");
        var sarifRun = root.path("runs").get(0);
        var results = sarifRun.path("results");
        assertThat(results).hasSize(4); // refusal, denial, warning, broken at the end
        var byRule = new java.util.TreeMap<String, JsonNode>();
        results.forEach(r -> byRule.put(r.path("ruleId").asText() + "/" + r.path("level").asText(), r));
        assertThat(byRule).containsOnlyKeys("api-server-refuses/error", "ingress-service-port-missing/error",
                "ingress-service-missing/warning", "ingress-service-missing/error");
        var denial = byRule.get("ingress-service-port-missing/error").path("locations").get(0).path("physicalLocation");
        assertThat(denial.path("artifactLocation").path("uri").asText())
                .isEqualTo("examples/check/port-typo.yaml");
        assertThat(denial.path("region").path("startLine").asInt()).isEqualTo(2);
        var ruleIds = new java.util.ArrayList<String>();
        sarifRun.path("tool").path("driver").path("rules").forEach(r -> ruleIds.add(r.path("id").asText()));
        assertThat(ruleIds).containsExactlyInAnyOrder("api-server-refuses", "ingress-service-port-missing",
                "ingress-service-missing");
    }

    @Test
    void githubAnnotatesFileAndLineWithEscapedMessages() {
        var run = CheckRun.inProcess(with("-o", "github"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out().lines().filter(l -> l.startsWith("::"))).hasSize(4);
        assertThat(run.out()).contains("::error file=examples/check/port-typo.yaml,line=2,"
                + "title=upstream-guard ingress-service-port-missing::would deny UPDATE Ingress shop/web: ")
                .contains("::warning file=examples/check/missing-service.yaml,line=2,")
                .contains("::error file=src/test/resources/check/refused/legacy-ingress.yaml,line=2,"
                        + "title=upstream-guard api-server-refuses::");
        assertThat(run.out().lines().toList().get(4)).startsWith("upstream-guard check: 3 objects");
        assertThat(GithubReport.data("50%\nnext")).isEqualTo("50%25%0Anext");
        assertThat(GithubReport.property("a:b,c")).isEqualTo("a%3Ab%2Cc");
    }
}
