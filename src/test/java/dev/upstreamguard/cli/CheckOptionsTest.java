package dev.upstreamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.policy.Mode;

/** check's command line in kubectl's spelling, and one clear line for each way it can be wrong. */
class CheckOptionsTest {

    @Test
    void flagsInEverySpelling() {
        var o = CheckOptions.parse("-f", "a.yaml", "--filename=b/", "--filename", "-", "-n", "shop", "--order=argocd",
                "--mode", "warn", "-o", "sarif", "--cluster=live");
        assertThat(o.files()).containsExactly("a.yaml", "b/", "-");
        assertThat(o.namespace()).isEqualTo("shop");
        assertThat(o.order()).isEqualTo(ApplyOrder.ARGOCD);
        assertThat(o.mode()).isEqualTo(Mode.WARN);
        assertThat(o.output()).isEqualTo("sarif");
        assertThat(o.cluster()).isEqualTo("live");
        assertThat(o.help()).isFalse();
        assertThat(CheckOptions.parse("--help").help()).isTrue();
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> CheckOptions.parse("-f", "a.yaml", "--frobnicate", "x"))
                .isInstanceOf(CheckInputException.class).hasMessage("unknown flag --frobnicate (see --help)");
        assertThatThrownBy(() -> CheckOptions.parse("a.yaml")).isInstanceOf(CheckInputException.class)
                .hasMessage("unexpected argument \"a.yaml\": manifests are given with -f (see --help)");
        assertThatThrownBy(() -> CheckOptions.parse("-f")).isInstanceOf(CheckInputException.class)
                .hasMessage("flag -f needs a value (see --help)");
        assertThatThrownBy(() -> CheckOptions.parse("-h", "--frobnicate=1")).as("help does not hide a bad flag")
                .isInstanceOf(CheckInputException.class).hasMessage("unknown flag --frobnicate=1 (see --help)");
        assertThatThrownBy(() -> CheckOptions.parse("--order", "kustomize", "-f", "a.yaml"))
                .hasMessage("--order must be helm, argocd, flux or kubectl, not \"kustomize\"");
    }
}
