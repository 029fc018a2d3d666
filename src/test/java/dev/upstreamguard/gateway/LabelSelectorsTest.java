package dev.upstreamguard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;

/** LabelSelector semantics for {@code allowedRoutes.namespaces.selector}. */
class LabelSelectorsTest {
    private static final Map<String, String> PROD_SHOP = Map.of("env", "prod", "team", "shop");

    private static LabelSelector expression(String key, String operator, String... values) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(operator)
                .withValues(values).endMatchExpression().build();
    }

    @Test
    void matchLabels_needsEveryPair() {
        var selector = new LabelSelectorBuilder().addToMatchLabels("env", "prod").addToMatchLabels("team", "shop").build();

        assertThat(LabelSelectors.matches(selector, PROD_SHOP)).isTrue();
        assertThat(LabelSelectors.matches(selector, Map.of("env", "prod"))).isFalse();
    }

    @Test
    void in_needsTheKeyWithOneOfTheValues() {
        assertThat(LabelSelectors.matches(expression("env", "In", "prod", "staging"), PROD_SHOP)).isTrue();
        assertThat(LabelSelectors.matches(expression("env", "In", "dev"), PROD_SHOP)).isFalse();
        assertThat(LabelSelectors.matches(expression("tier", "In", "web"), PROD_SHOP)).isFalse();
    }

    @Test
    void notIn_holdsWhenTheKeyIsAbsentOrHasAnotherValue() {
        assertThat(LabelSelectors.matches(expression("env", "NotIn", "dev"), PROD_SHOP)).isTrue();
        assertThat(LabelSelectors.matches(expression("tier", "NotIn", "web"), PROD_SHOP)).isTrue();
        assertThat(LabelSelectors.matches(expression("env", "NotIn", "prod"), PROD_SHOP)).isFalse();
    }

    @Test
    void existsAndDoesNotExist() {
        assertThat(LabelSelectors.matches(expression("team", "Exists"), PROD_SHOP)).isTrue();
        assertThat(LabelSelectors.matches(expression("tier", "Exists"), PROD_SHOP)).isFalse();
        assertThat(LabelSelectors.matches(expression("tier", "DoesNotExist"), PROD_SHOP)).isTrue();
        assertThat(LabelSelectors.matches(expression("team", "DoesNotExist"), PROD_SHOP)).isFalse();
    }

    @Test
    void emptySelectorMatchesEverything_unknownOperatorNothing() {
        assertThat(LabelSelectors.matches(new LabelSelector(), Map.of())).isTrue();
        assertThat(LabelSelectors.matches(expression("env", "Gt", "1"), PROD_SHOP)).isFalse();
    }

    @Test
    void describesLikeKubectl() {
        var selector = new LabelSelectorBuilder().addToMatchLabels("env", "prod").addNewMatchExpression().withKey("team")
                .withOperator("In").withValues("a", "b").endMatchExpression().addNewMatchExpression().withKey("legacy")
                .withOperator("DoesNotExist").endMatchExpression().build();

        assertThat(LabelSelectors.describe(selector)).isEqualTo("env=prod, team in (a,b), !legacy");
        assertThat(LabelSelectors.keys(selector)).containsExactly("env", "legacy", "team");
    }
}
