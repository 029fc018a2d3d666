package dev.upstreamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.marcnuri.helm.Helm;

import dev.upstreamguard.support.CheckRun;

/**
 * What people pipe into {@code check -f -}: a chart rendered by Helm (helm-java bundles Helm's library) and an overlay
 * rendered by {@code kubectl kustomize}, each fine and with a seeded fault, in a child JVM reading standard input.
 */
class CheckRenderedInputTest {
    static final Path CHART = Path.of("src/test/resources/check/chart/shop");
    static final Path OVERLAYS = Path.of("src/test/resources/check/kustomize/overlays");

    static byte[] helmTemplate(Map<String, String> sets) {
        var command = new Helm(CHART).template().withName("shop").withNamespace("shop");
        sets.forEach(command::set);
        return command.call().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] kustomize(String overlay) throws IOException, InterruptedException {
        var process = new ProcessBuilder("kubectl", "kustomize", OVERLAYS.resolve(overlay).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize finished").isTrue();
        assertThat(process.exitValue()).as("kubectl kustomize exit code").isZero();
        return out;
    }

    @Test
    void aHelmChartRenderedIntoStandardInputPasses() {
        var run = CheckRun.process(helmTemplate(Map.of()), Map.of(), "-f", "-", "--namespace", "shop");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).as(run.toString()).contains("3 objects, 3 reviews (helm order, cluster none, enforce): "
                + "0 denied, 2 warned, 0 invalid, 0 broken at the end: ok");
    }

    @Test
    void aHelmValueThatRenamesTheContainerPortBreaksTheRouteAtItsTemplate() {
        var run = CheckRun.process(helmTemplate(Map.of("containerPortName", "web")), Map.of(), "-f", "-", "--namespace",
                "shop");
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).as(run.toString())
                .containsPattern("BROKEN   <stdin>:\\d+ \\(document \\d, from shop/templates/service.yaml\\)  "
                        + "Service shop/shop-web once everything is applied\n  \\[service-target-port-missing\\] ");
    }

    @Test
    void aKustomizeOverlayRenderedIntoStandardInputPassesInEveryOrder() throws Exception {
        var rendered = kustomize("prod");
        for (var order : ApplyOrder.values()) {
            var run = CheckRun.inProcess(rendered, "-f", "-", "--order", order.label());
            assertThat(run.exit()).as(order + "\n" + run).isZero();
            assertThat(run.out()).as(run.toString()).contains("3 objects, ");
        }
        var run = CheckRun.process(rendered, Map.of(), "-f", "-", "--order", "flux");
        assertThat(run.exit()).as(run.toString()).isZero();
    }

    @Test
    void aKustomizePatchThatRenamesTheContainerPortFails() throws Exception {
        var run = CheckRun.process(kustomize("broken"), Map.of(), "-f", "-");
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).as(run.toString()).contains("BROKEN   <stdin>:")
                .contains("Service store-prod/store once everything is applied\n  [service-target-port-missing] ");
    }
}
