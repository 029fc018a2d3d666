package dev.upstreamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.upstreamguard.support.CheckRun;

/**
 * {@code upstream-guard check} driven as a user drives it, in a child JVM: the seeded faults against the demo cluster
 * as a snapshot and against nothing, refused objects, bad input, and the exit codes.
 */
class CheckCommandTest {
    static final String DEMO = "examples/demo-cluster";
    static final String FAULTS = "examples/check/";

    @TempDir
    Path dir;

    @Test
    void reapplyingTheDemoClusterOntoItselfIsQuietAndExitsZero() {
        var run = CheckRun.process("-f", DEMO, "--cluster", DEMO);
        assertThat(run.exit()).as(run.toString()).isEqualTo(0);
        assertThat(run.out()).as(run.toString()).contains("11 objects, 9 reviews (helm order, cluster " + DEMO
                + ", enforce): 0 denied, 0 warned, 0 invalid, 0 broken at the end: ok");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest(name = "{0} against the demo snapshot: {1} denied")
    @CsvSource({
            "selector-typo.yaml,       service-selects-nothing,      UPDATE Service shop/api",
            "port-typo.yaml,           ingress-service-port-missing, UPDATE Ingress shop/web",
            "renamed-named-port.yaml,  service-target-port-missing,  UPDATE Deployment shop/api",
            "relabel.yaml,             service-selects-nothing,      UPDATE Deployment shop/web"})
    void aSeededFaultAgainstTheDemoSnapshotIsDeniedAndExitsOne(String fault, String rule, String request) {
        var run = CheckRun.process("-f", FAULTS + fault, "--cluster", DEMO);
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).as(run.toString())
                .contains("DENIED   " + FAULTS + fault + ":2 (document 1)  " + request)
                .contains("  [" + rule + "] ")
                .contains(": 1 denied, ");
        assertThat(run.err()).as("nothing on stderr").isEmpty();
    }

    @Test
    void anIngressToAServiceThatNeverComesIsOnlyWarnedButBrokenAtTheEnd() {
        var run = CheckRun.process("-f", FAULTS + "missing-service.yaml", "--cluster", DEMO);
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).as(run.toString())
                .contains("WARNING  " + FAULTS + "missing-service.yaml:2 (document 1)  CREATE Ingress shop/checkout")
                .contains("[ingress-service-missing] not found yet: ")
                .contains("BROKEN   " + FAULTS + "missing-service.yaml:2 (document 1)  Ingress shop/checkout once "
                        + "everything is applied")
                .contains("0 denied, 1 warned, 0 invalid, 1 broken at the end: FAILED");
    }

    @ParameterizedTest(name = "{0} on top of the demo bundle, no cluster: {1}")
    @CsvSource({
            "selector-typo.yaml,       service-selects-nothing,      Service shop/api",
            "port-typo.yaml,           ingress-service-port-missing, Ingress shop/web",
            "renamed-named-port.yaml,  service-target-port-missing,  Service shop/api",
            "relabel.yaml,             service-selects-nothing,      Service shop/web",
            "missing-service.yaml,     ingress-service-missing,      Ingress shop/checkout"})
    void aSeededFaultInTheBundleAloneIsDeniedOrBrokenAtTheEnd(String fault, String rule, String subject) {
        var run = CheckRun.inProcess("-f", DEMO, "-f", FAULTS + fault);
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        // denied when the sync itself reaches the broken state with a route in place, else broken at the end
        assertThat(run.out()).as(run.toString())
                .containsPattern("(DENIED|BROKEN) [^\n]*\n  \\[" + rule + "\\] [^\n]*" + subject);
    }

    @Test
    void objectsTheApiServerRefusesAreReportedWithTheReasonAndExitOne() {
        var run = CheckRun.process("-f", "src/test/resources/check/refused", "--cluster", DEMO);
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).as(run.toString())
                .contains("INVALID  src/test/resources/check/refused/backend-without-port.yaml:2 (document 1)  "
                        + "Ingress shop/promo\n  the API server refuses it: spec.rules[0].http.paths[0].backend.service.port: "
                        + "exactly one of number and name must be given (it has neither)")
                .contains("INVALID  src/test/resources/check/refused/legacy-ingress.yaml:2 (document 1)  "
                        + "Ingress shop/legacy\n  extensions/v1beta1 Ingress is not served since Kubernetes 1.22: use "
                        + "networking.k8s.io/v1")
                .contains("INVALID  src/test/resources/check/refused/selector-mismatch.yaml:2 (document 1)  "
                        + "Deployment shop/worker\n  the API server refuses it: spec.selector {app=worker} does not match "
                        + "spec.template.metadata.labels {app=wroker}")
                .contains("3 invalid");
    }

    @Test
    void aDocumentThatIsNotYamlExitsTwoWithOneLineNamingFileAndDocument() throws IOException {
        var file = dir.resolve("broken.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Service
                metadata: {name: fine}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: [unclosed
                """);
        var run = CheckRun.process("-f", file.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).as(run.toString()).hasSize(1);
        assertThat(run.err()).startsWith("upstream-guard check: " + file + " document 2: ")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void usageMistakesExitTwoWithOneLine() {
        for (var args : new String[][] {{}, {"-f"}, {"-f", DEMO, "--order", "spinnaker"}, {"-f", DEMO, "--mode", "off"},
                {"-f", DEMO, "-o", "xml"}, {"-f", DEMO, "--frobnicate"}, {"-f", "no/such/dir"},
                {"-f", DEMO, "--cluster", "no/such/snapshot"}}) {
            var run = CheckRun.inProcess(args);
            assertThat(run.exit()).as(String.join(" ", args) + "\n" + run).isEqualTo(2);
            assertThat(run.err().lines()).as(run.toString()).hasSize(1);
            assertThat(run.err()).startsWith("upstream-guard check: ");
        }
        var help = CheckRun.inProcess("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: upstream-guard check -f PATH");
    }

    @Test
    void aBundleWithNoObjectIsBadInput() throws IOException {
        var file = dir.resolve("empty.yaml");
        Files.writeString(file, "# nothing here\n---\n", StandardCharsets.UTF_8);
        var run = CheckRun.inProcess("-f", file.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("no objects in " + file);
    }
}
