package io.shoal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

    @ParameterizedTest
    @CsvSource({
            "shoal-shard-0:6970, shoal-shard-0, 6970",
            "shoal-shard-0.shoal.svc.cluster.local:6970, shoal-shard-0.shoal.svc.cluster.local, 6970",
            "tracker.example.org.:1, tracker.example.org., 1",
            "localhost:65535, localhost, 65535",
            "127.0.0.1:6970, 127.0.0.1, 6970",
            "0.0.0.0:80, 0.0.0.0, 80",
            "'[::1]:6970', ::1, 6970",
            "'[::]:6970', ::, 6970",
            "'[fd00:0:0:0:0:0:0:12]:6970', fd00:0:0:0:0:0:0:12, 6970",
            "'[2001:DB8::1]:443', 2001:DB8::1, 443",
            "'[::ffff:192.0.2.1]:6970', ::ffff:192.0.2.1, 6970",
            "'[1::]:9', 1::, 9",
            "3com.example:9, 3com.example, 9",
    })
    void acceptsNamesAndLiterals(String text, String host, int port) {
        Endpoint e = Endpoint.parse(text);
        assertThat(e.host()).isEqualTo(host);
        assertThat(e.port()).isEqualTo(port);
        assertThat(e.toString()).isEqualTo(text);
        assertThat(Endpoint.isValid(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "host", "host:", ":6970", "host:0", "host:65536", "host:123456", "host:+80", "host:-1", "host:8 0",
            "host :80", "-host:80", "host-:80", "ho_st:80", "a..b:80", ".host:80", "host..:80", "höst:80",
            "999.1.1.1:80", "1.2.3:80", "1.2.3.4.5:80", "01.2.3.4:80", "1.2.3.256:80", "1.2.3.4.:80",
            "::1:80", "[::1]", "[::1]80", "[::1:80", "[::1%eth0]:80", "[1:2:3:4:5:6:7:8:9]:80", "[1:2:3:4:5:6:7]:80",
            "[1::2::3]:80", "[:1]:80", "[1:]:80", "[12345::]:80", "[g::]:80", "[::1.2.3.4.5]:80", "[1.2.3.4::]:80",
            "[host]:80", "[]:80",
    })
    void refusesEverythingElseWithAMessage(String text) {
        assertThat(Endpoint.isValid(text)).isFalse();
        assertThatThrownBy(() -> Endpoint.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint");
    }

    @org.junit.jupiter.api.Test
    void boundsLengthAndLabels() {
        String label63 = "a".repeat(63);
        assertThat(Endpoint.isValid(label63 + ":1")).isTrue();
        assertThat(Endpoint.isValid("a".repeat(64) + ":1")).isFalse();
        String name253 = (label63 + ".").repeat(3) + "a".repeat(61);
        assertThat(name253).hasSize(253);
        assertThat(Endpoint.isValid(name253 + ":65535")).isTrue();
        assertThat(Endpoint.isValid(name253 + "a:1")).isFalse();
        assertThatThrownBy(() -> Endpoint.parse("x".repeat(100_000)))
                .hasMessageContaining("longer than");
        assertThatThrownBy(() -> Endpoint.parse(null)).hasMessageContaining("missing");
    }
}
