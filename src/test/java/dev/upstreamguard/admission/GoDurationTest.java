package dev.upstreamguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The API server's {@code ?timeout=} is a Go duration: read the forms it sends, refuse the rest. */
class GoDurationTest {

    @ParameterizedTest
    @CsvSource({"10s,10000000", "2500ms,2500000", "1m,60000000", "1m30s,90000000", "1.5s,1500000", "0,0",
            "3s,3000000", "1h,3600000000", "500us,500", "250µs,250", "+2s,2000000", ".5s,500000", "1500ns,1"})
    void readsGoDurations(String text, long micros) {
        assertThat(GoDuration.parse(text).map(Duration::toNanos).map(n -> n / 1000)).contains(micros);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "ten", "-1s", "1x", "s", "1s ", " 1s", "1..5s", "9999999999999999h",
            "1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s1s"})
    void refusesAnythingElse(String text) {
        assertThat(GoDuration.parse(text)).isEqualTo(Optional.empty());
    }
}
