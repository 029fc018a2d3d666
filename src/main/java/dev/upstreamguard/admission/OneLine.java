package dev.upstreamguard.admission;

/**
 * Text taken from a review (a name, a uid, Jackson's reason) made fit for one line of a 400 message, a warning or a
 * log line: control characters and line or paragraph separators replaced, a lone surrogate (a JSON {@code "\ud83d"}
 * escape) made U+FFFD, and cut by code points, so a character is never split. Each caller says what marks a cut.
 */
final class OneLine {
    private OneLine() {
    }

    /** The first {@code max} code points of {@code s}, separators as {@code separatorAs}. */
    static String head(String s, int max, int separatorAs) {
        var out = new StringBuilder(Math.min(s.length(), 2 * max));
        int count = 0;
        for (int i = 0; i < s.length() && count < max; count++) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            out.appendCodePoint(Character.isISOControl(cp) || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR ? separatorAs
                    : type == Character.SURROGATE ? '\uFFFD' : cp);
        }
        return out.toString();
    }

    /** Whether {@code s} has more than {@code max} code points (looking at no more than the first 2 × max + 2 chars). */
    static boolean longer(String s, int max) {
        return s.length() > max && s.codePointCount(0, Math.min(s.length(), 2 * max + 2)) > max;
    }
}
