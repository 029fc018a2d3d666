package dev.upstreamguard.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An ordered list of precedence criteria, each with the words that say why it decides: ranks the rules that match a
 * request and tells, for each loser, the first criterion on which the winner beats it (and for the winner, the one on
 * which it beats the runner-up).
 *
 * @param <T> what is ranked
 */
final class Precedence<T> {
    /** One criterion: {@code order} puts the preferred first; {@code why} says it ("longest matching prefix"). */
    record Criterion<T>(String why, Comparator<T> order) {
    }

    /** The ranked entries and what decided each place. */
    record Ranked<T>(List<T> order, String winnerWhy, List<String> loserWhy) {
        T winner() {
            return order.get(0);
        }
    }

    private final List<Criterion<T>> criteria;

    Precedence(List<Criterion<T>> criteria) {
        this.criteria = List.copyOf(criteria);
    }

    private Comparator<T> comparator() {
        Comparator<T> c = (a, b) -> 0;
        for (var criterion : criteria) {
            c = c.thenComparing(criterion.order());
        }
        return c;
    }

    /** Ranks non-empty {@code entries}, best first. */
    Ranked<T> rank(List<T> entries) {
        var sorted = new ArrayList<>(entries);
        sorted.sort(comparator());
        var winner = sorted.get(0);
        var loserWhy = new ArrayList<String>();
        for (int i = 1; i < sorted.size(); i++) {
            loserWhy.add("loses: " + decidedBy(winner, sorted.get(i)));
        }
        var winnerWhy = sorted.size() == 1 ? "the only rule that matches" : "wins: " + decidedBy(winner, sorted.get(1));
        return new Ranked<>(List.copyOf(sorted), winnerWhy, List.copyOf(loserWhy));
    }

    /** The first criterion that puts {@code winner} before {@code other}. */
    private String decidedBy(T winner, T other) {
        for (var criterion : criteria) {
            if (criterion.order().compare(winner, other) < 0) {
                return criterion.why();
            }
        }
        return "listed first";
    }
}
