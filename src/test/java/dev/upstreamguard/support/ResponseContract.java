package dev.upstreamguard.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;

/**
 * What every AdmissionResponse owes its readers (DESIGN §3): the request's uid; on a denial code 403 and a message
 * that is not empty; warnings of at most 120 characters (code points) each, never starting with "Warning:", one line,
 * whole characters only,
 * at most 4 KiB in all.
 */
public final class ResponseContract {
    public static final int MAX_WARNING = 120;
    public static final int MAX_WARNINGS_BYTES = 4096;

    private ResponseContract() {
    }

    public static void check(AdmissionResponse r, String uid, String context) {
        assertThat(r).as(context).isNotNull();
        assertThat(r.getUid()).as("uid echoed: " + context).isEqualTo(uid);
        assertThat(r.getAllowed()).as("allowed set: " + context).isNotNull();
        if (!r.getAllowed()) {
            assertThat(r.getStatus()).as("status on a denial: " + context).isNotNull();
            assertThat(r.getStatus().getCode()).as(context).isEqualTo(403);
            assertThat(r.getStatus().getMessage()).as("message on a denial: " + context).isNotBlank();
        }
        if (r.getWarnings() == null) {
            return;
        }
        int bytes = 0;
        for (var w : r.getWarnings()) {
            assertThat(w).as("warning: " + context).isNotBlank();
            assertThat(w.codePointCount(0, w.length())).as("characters in \"%s\": %s", w, context).isLessThanOrEqualTo(MAX_WARNING);
            assertThat(w.toLowerCase(java.util.Locale.ROOT)).as(context).doesNotStartWith("warning:");
            assertThat(w).as(context).doesNotContain("\n").doesNotContain("\r");
            assertThat(wholeCharacters(w)).as("no split surrogate pair in \"%s\": %s", w, context).isTrue();
            bytes += w.getBytes(StandardCharsets.UTF_8).length;
        }
        assertThat(bytes).as("warning bytes in all: " + context).isLessThanOrEqualTo(MAX_WARNINGS_BYTES);
    }

    static boolean wholeCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
