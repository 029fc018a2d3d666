package dev.upstreamguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.cluster.ClusterIndex;
import dev.upstreamguard.cluster.ManifestLoader;
import dev.upstreamguard.policy.Decider;
import dev.upstreamguard.policy.PolicySettings;
import dev.upstreamguard.rules.Evaluator;
import dev.upstreamguard.support.Reviews;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** A stale view must not deny: what it would deny is a warning saying so, counted; fresh, it denies as ever. */
class StaleViewTest {
    final ClusterIndex cluster = new ManifestLoader().load(Path.of("examples/demo-cluster"));
    final Service api = cluster.service("shop", "api").orElseThrow();
    Optional<String> staleness = Optional.empty();
    final ReviewHandler handler = new ReviewHandler(Reviews.MAPPER, () -> cluster, new Evaluator(),
            new Decider(PolicySettings.defaults()), () -> staleness, new FaultCounters());

    Service typo() {
        Service s = new KubernetesSerialization().clone(api);
        s.getSpec().setSelector(Map.of("app", "apii"));
        return s;
    }

    @Test
    void deniesOnAFreshView_warnsOnAStaleOne() {
        assertThat(Reviews.update(typo(), api).answerWith(handler).getAllowed()).isFalse();

        staleness = Optional.of("cluster view stale for 75s (Pod not watching)");
        var r = Reviews.update(typo(), api).answerWith(handler);
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getStatus()).isNull();
        assertThat(r.getWarnings()).anySatisfy(w -> assertThat(w).startsWith(
                "[service-selects-nothing] stale view, would deny: Service shop/api"));
        assertThat(r.getWarnings()).contains(
                "[upstream-guard] cluster view stale for 75s (Pod not watching): would deny, allowed instead");
        assertThat(r.getAuditAnnotations().get(ResponseRenderer.AUDIT_KEY)).contains("stale view, would deny");
        assertThat(handler.counters().staleViews()).isEqualTo(1);
    }

    @Test
    void saysNothingAboutStalenessWhenThereIsNothingToDeny() {
        staleness = Optional.of("cluster view stale for 75s (Pod not watching)");
        Service fine = new KubernetesSerialization().clone(api);
        fine.getMetadata().setLabels(new HashMap<>(Map.of("team", "checkout")));
        var r = Reviews.update(fine, api).answerWith(handler);
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).isNullOrEmpty();
        assertThat(handler.counters().staleViews()).isZero();
    }

    @Test
    void warnModeKeepsItsOwnWording() {
        staleness = Optional.of("cluster view stale for 75s (Pod not watching)");
        Service typo = typo();
        typo.getMetadata().setAnnotations(Map.of(Decider.MODE_KEY, "warn"));
        var r = Reviews.update(typo, api).answerWith(handler);
        assertThat(r.getAllowed()).isTrue();
        assertThat(r.getWarnings()).anySatisfy(w -> assertThat(w).startsWith("[service-selects-nothing] would deny:"));
    }
}
