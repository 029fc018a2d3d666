package dev.upstreamguard.explain;

/**
 * The answer for people: what was asked, per data plane the rule that wins and the others that match, each route's
 * hops with their state, the timeouts of a healthy route; and as the last line, exactly one of
 * {@code first broken hop: ...} or {@code route healthy}.
 */
public final class ExplainText {
    private ExplainText() {
    }

    public static String render(Explanation e) {
        var out = new StringBuilder();
        out.append("explain ").append(e.query().describe()).append(asked(e.query())).append('\n');
        if (e.unresolved() != null) {
            out.append('\n').append("  ").append(state(e.unresolved())).append(' ')
                    .append(pad(e.unresolved().name(), 11)).append(e.unresolved().text()).append('\n');
        }
        if (!e.suggestions().isEmpty()) {
            out.append("  closest known: ").append(String.join(", ", e.suggestions())).append('\n');
        }
        for (var s : e.sections()) {
            section(out, s);
        }
        out.append('\n').append(e.verdictLine()).append('\n');
        return out.toString();
    }

    private static String asked(ExplainQuery q) {
        if (q.subject() != ExplainQuery.Subject.URL) {
            return "";
        }
        var u = q.url();
        var headers = q.headers().isEmpty() ? "" : ", headers " + q.headers().keySet();
        return " (" + q.method() + ", host " + u.host() + ", port " + u.port() + ", path " + u.path() + headers + ")";
    }

    private static void section(StringBuilder out, Section s) {
        out.append('\n').append("== ").append(s.dataPlane());
        var r = s.resolution();
        if (r != null) {
            out.append(": ").append(r.server());
        }
        out.append('\n');
        if (r != null && r.winner() != null) {
            contender(out, "wins", r.winner());
        }
        if (r != null) {
            r.others().forEach(c -> contender(out, "also", c));
        }
        s.notes().forEach(n -> out.append("  note  ").append(n).append('\n'));
        if (s.broken() != null) {
            out.append("  ").append(state(s.broken())).append(' ').append(pad(s.broken().name(), 11))
                    .append(s.broken().text()).append('\n');
        }
        for (var w : s.walks()) {
            out.append('\n').append("  ").append(w.title()).append('\n');
            for (var h : w.hops()) {
                out.append("    ").append(state(h)).append(' ').append(pad(h.name(), 11)).append(h.text());
                if (h.state() == Hop.State.WARNING && h.problem() != null) {
                    out.append(" -- ").append(h.problem().line());
                }
                out.append('\n');
            }
            boolean first = true;
            for (var t : w.timeouts()) {
                out.append("    ").append(pad(first ? "504 after" : "", 11)).append(' ').append(pad("", 11))
                        .append(t.name()).append(' ').append(t.value())
                        .append(t.source().equals(t.value()) ? "" : " (" + t.source() + ")").append(": ").append(t.note());
                if (t.problem() != null) {
                    out.append(" -- ").append(t.problem().line());
                }
                out.append('\n');
                first = false;
            }
        }
    }

    private static void contender(StringBuilder out, String label, Contender c) {
        out.append("  ").append(label).append("  ").append(c.route()).append(' ').append(c.field()).append(": ")
                .append(c.match()).append(" (").append(c.verdict()).append(")\n");
    }

    /** The state as a column: {@code BROKEN} stands out, the others in lower case. */
    private static String state(Hop h) {
        return pad(h.isBroken() ? "BROKEN" : h.state().label(), 11);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
