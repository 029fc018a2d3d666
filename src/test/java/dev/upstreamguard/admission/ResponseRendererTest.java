package dev.upstreamguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link ResponseRenderer#shorten}: one line of whole characters, at most {@link ResponseRenderer#MAX_WARNING}. */
class ResponseRendererTest {
    @Test
    void loneSurrogatesFromTheReviewBecomeReplacementCharacters() {
        // what a JSON "\ud83d" escape in a quoted field turns into: half of a pair, alone
        var out = ResponseRenderer.shorten("targetPort \"a\ud83d b\ude00\" and \ud83d\ude00 whole");
        assertThat(out).isEqualTo("targetPort \"a\uFFFD b\uFFFD\" and \ud83d\ude00 whole");
    }

    @Test
    void longTextIsCutBetweenCharactersAndBreaksBecomeSpaces() {
        var out = ResponseRenderer.shorten("line one\nline two " + "\ud83d\ude00".repeat(500));
        assertThat(out).startsWith("line one line two ").endsWith("…").doesNotContain("\n");
        assertThat(out.codePointCount(0, out.length())).isEqualTo(ResponseRenderer.MAX_WARNING);
        assertThat(Character.isLowSurrogate(out.charAt(out.length() - 2))).isTrue(); // the last emoji is whole
    }
}
