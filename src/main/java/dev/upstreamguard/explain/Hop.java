package dev.upstreamguard.explain;

/**
 * One hop of a walked route and its state: {@code service}, {@code port}, {@code pods}, {@code endpoints} ...
 *
 * @param name    the hop: {@code class}, {@code attached}, {@code permitted}, {@code service}, {@code port},
 *                {@code pods}, {@code targetPort}, {@code endpoints}; {@code host}, {@code match} or {@code object}
 *                when the request reaches no route at all
 * @param state   how it stands
 * @param text    one line for people
 * @param problem what is wrong (broken or warning), else null
 */
public record Hop(String name, State state, String text, Problem problem) {

    /** How a hop stands. */
    public enum State {
        OK("ok"), WARNING("warning"), NOT_JUDGED("not-judged"), BROKEN("broken");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static Hop ok(String name, String text) {
        return new Hop(name, State.OK, text, null);
    }

    public static Hop notJudged(String name, String text) {
        return new Hop(name, State.NOT_JUDGED, text, null);
    }

    public static Hop warning(String name, String text, Problem problem) {
        return new Hop(name, State.WARNING, text, problem);
    }

    public static Hop broken(String name, Problem problem) {
        return new Hop(name, State.BROKEN, problem.line(), problem);
    }

    public boolean isBroken() {
        return state == State.BROKEN;
    }

    /** {@code endpoints: [rule] message Fix: fix}: the verdict line's text. */
    public String line() {
        return name + ": " + (problem != null ? problem.line() : text);
    }
}
