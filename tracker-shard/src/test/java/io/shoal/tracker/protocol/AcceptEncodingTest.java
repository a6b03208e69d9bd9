package io.shoal.tracker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AcceptEncodingTest {

    @Test
    void gzipWhenListedWithAPositiveWeight() {
        for (String h : new String[] {"gzip", "GZIP", "deflate, gzip", "gzip;q=0.5", "gzip; q=1.0", "x-gzip",
                "br;q=1, gzip;q=0.001", "gzip;Q=0.9 , identity;q=0.5"}) {
            assertThat(AcceptEncoding.prefersGzip(h)).as(h).isTrue();
        }
    }

    @Test
    void noGzipWhenAbsentOrRefused() {
        for (String h : new String[] {null, "", "identity", "deflate, br", "gzip;q=0", "gzip;q=0.000", "gzip; q=0.",
                "*, gzip;q=0", "gzipx", "notgzip", "*;q=0", "gzip;q=0.2, identity;q=0.8", "gzip;q=2", "gzip;q=abc",
                "gzip;q=0.0001", "gzip;q=", "gzip;q=-1"}) {
            assertThat(AcceptEncoding.prefersGzip(h)).as(String.valueOf(h)).isFalse();
        }
    }

    @Test
    void wildcardCoversGzipWhenNotListed() {
        assertThat(AcceptEncoding.prefersGzip("*")).isTrue();
        assertThat(AcceptEncoding.prefersGzip("*;q=0.3")).as("identity also 0.3; the smaller body wins a tie").isTrue();
        assertThat(AcceptEncoding.prefersGzip("*;q=0.3, identity")).as("identity preferred").isFalse();
        assertThat(AcceptEncoding.prefersGzip("identity;q=0, *;q=0.1")).isTrue();
        assertThat(AcceptEncoding.prefersGzip("gzip;q=0.5, identity;q=0.5")).as("a tie goes to gzip").isTrue();
    }
}
