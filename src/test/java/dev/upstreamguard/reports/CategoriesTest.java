package dev.upstreamguard.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.upstreamguard.rules.Rule;
import dev.upstreamguard.rules.RuleCatalog;

/** Every rule of the catalog falls in a documented family; a new rule that fits none fails here until it does. */
class CategoriesTest {

    @Test
    void everyRuleOfTheCatalogHasAFamily() {
        for (Rule<?> rule : RuleCatalog.all()) {
            assertThat(Categories.of(rule.info().id())).as(rule.info().id()).isNotEqualTo(Categories.OTHER)
                    .isIn(Categories.ALL);
        }
    }

    @Test
    void familiesFollowTheRuleIds() {
        assertThat(Categories.of("ingress-nginx-timeout-invalid")).isEqualTo("ingress-nginx");
        assertThat(Categories.of("ingress-service-missing")).isEqualTo("routing");
        assertThat(Categories.of("route-backend-not-permitted")).isEqualTo("routing");
        assertThat(Categories.of("service-target-port-missing")).isEqualTo("endpoints");
        assertThat(Categories.of("readiness-probe-port-missing")).isEqualTo("probes");
        assertThat(Categories.of("liveness-equals-readiness")).isEqualTo("probes");
        assertThat(Categories.of("workload-scaled-to-zero")).isEqualTo("rollout");
        assertThat(Categories.of("rollout-empties-endpoints")).isEqualTo("rollout");
        assertThat(Categories.of("something-new")).isEqualTo("other");
    }

    @Test
    void docsDescribeEveryCategory() throws Exception {
        var docs = Files.readString(Path.of("docs/policyreports.md"));
        for (var category : Categories.ALL) {
            assertThat(docs).as("docs/policyreports.md describes category " + category)
                    .contains("| `" + category + "` |");
        }
    }
}
