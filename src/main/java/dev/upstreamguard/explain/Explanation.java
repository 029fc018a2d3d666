package dev.upstreamguard.explain;

import java.util.List;
import java.util.Optional;

/**
 * The whole answer: what was asked, each data plane's resolution and walks, and (for a host nothing serves) the known
 * hosts closest to it.
 *
 * @param query       what was asked
 * @param sections    one per data plane that serves the request, or per object asked about
 * @param unresolved  the break when nothing serves the request or the object is not there, else null
 * @param suggestions for an unknown host or object, the known names closest to it; else empty
 */
public record Explanation(ExplainQuery query, List<Section> sections, Hop unresolved, List<String> suggestions) {

    public Explanation {
        sections = List.copyOf(sections);
        suggestions = List.copyOf(suggestions);
    }

    /** The first broken hop over every data plane, in order; empty when every route is healthy. */
    public Optional<Hop> firstBroken() {
        if (unresolved != null) {
            return Optional.of(unresolved);
        }
        return sections.stream().flatMap(s -> s.firstBroken().stream()).findFirst();
    }

    public boolean healthy() {
        return firstBroken().isEmpty();
    }

    /** The last line of the text form: {@code first broken hop: ...} or {@code route healthy}. */
    public String verdictLine() {
        return firstBroken().map(h -> "first broken hop: " + h.line()).orElse("route healthy");
    }
}
