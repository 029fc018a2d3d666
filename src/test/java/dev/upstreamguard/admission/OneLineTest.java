package dev.upstreamguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneLineTest {
    static final String SMILE = "\ud83d\ude00";

    @Test
    void headCountsCodePointsAndReplacesSeparatorsAndLoneSurrogates() {
        assertThat(OneLine.head("a\nb\u2028c\u0007" + SMILE + "\ud83d!", 100, '?')).isEqualTo("a?b?c?" + SMILE + "\uFFFD!");
        assertThat(OneLine.head(SMILE.repeat(5), 3, ' ')).isEqualTo(SMILE.repeat(3));
        assertThat(OneLine.head("", 3, ' ')).isEmpty();
    }

    @Test
    void longerCountsCodePointsNotChars() {
        assertThat(OneLine.longer(SMILE.repeat(3), 3)).isFalse(); // 6 chars, 3 code points
        assertThat(OneLine.longer(SMILE.repeat(4), 3)).isTrue();
        assertThat(OneLine.longer("abc", 3)).isFalse();
        assertThat(OneLine.longer("abcd", 3)).isTrue();
        assertThat(OneLine.longer(SMILE.repeat(3) + "x".repeat(1000), 3)).isTrue();
    }
}
