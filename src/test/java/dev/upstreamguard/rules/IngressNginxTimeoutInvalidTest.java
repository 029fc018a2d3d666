package dev.upstreamguard.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The corrected value offered as the fix for a timeout ingress-nginx cannot parse. */
class IngressNginxTimeoutInvalidTest {

    @Test
    void suggestsWholeSeconds_forValuesWithAUnit() {
        assertEquals("120", IngressNginxTimeoutInvalid.suggest("120s"));
        assertEquals("60", IngressNginxTimeoutInvalid.suggest("1m"));
        assertEquals("120", IngressNginxTimeoutInvalid.suggest("2 min"));
        assertEquals("3600", IngressNginxTimeoutInvalid.suggest("1h"));
        assertEquals("1", IngressNginxTimeoutInvalid.suggest("500ms"));
        assertEquals("2", IngressNginxTimeoutInvalid.suggest("1.5"));
        assertEquals("60", IngressNginxTimeoutInvalid.suggest(" 60 "));
    }

    @Test
    void suggestsNothing_whenTheIntentIsUnclear() {
        assertNull(IngressNginxTimeoutInvalid.suggest("-5"));
        assertNull(IngressNginxTimeoutInvalid.suggest(""));
        assertNull(IngressNginxTimeoutInvalid.suggest("0s"));
        assertNull(IngressNginxTimeoutInvalid.suggest("forever"));
        assertNull(IngressNginxTimeoutInvalid.suggest("1h30m"));
    }

    @Test
    void normalizesTheConfiguredPrefix() {
        assertEquals("ingress.example.com", IngressNginx.normalizePrefix("ingress.example.com/"));
        assertEquals(IngressNginx.DEFAULT_PREFIX, IngressNginx.normalizePrefix(" "));
    }
}
