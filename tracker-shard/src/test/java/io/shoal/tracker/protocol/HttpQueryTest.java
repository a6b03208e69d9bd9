package io.shoal.tracker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpQueryTest {
    @Test
    void decodesBinaryPercentEscapes() {
        HttpQuery q = HttpQuery.parse("info_hash=%12%34%56%78%9a%bc%de%f1%23%45%67%89%AB%CD%EF%12%34%56%78%9a&port=6881");
        assertThat(q.first("info_hash")).isEqualTo(TestBytes.hex("123456789abcdef123456789abcdef123456789a"));
        assertThat(q.firstString("port")).isEqualTo("6881");
        assertThat(q.count("info_hash")).isEqualTo(1);
    }

    @Test
    void mixesLiteralAndEscapedBytes() {
        // libtorrent leaves unreserved characters literal: "-qB4250-" style ids
        HttpQuery q = HttpQuery.parse("peer_id=-qB4250-%00%ff%20abc.~_Z&x=a+b%2Bc");
        assertThat(q.first("peer_id")).isEqualTo(TestBytes.latin1("-qB4250-\u0000\u00ff abc.~_Z"));
        assertThat(q.firstString("x")).isEqualTo("a b+c");
    }

    @Test
    void emptyAndAbsent() {
        for (HttpQuery q : new HttpQuery[] {HttpQuery.parse(""), HttpQuery.parse(null), HttpQuery.parse("&&&")}) {
            assertThat(q.values("a")).isEmpty();
            assertThat(q.first("a")).isNull();
            assertThat(q.firstString("a")).isNull();
            assertThat(q.count("a")).isZero();
        }
    }

    @Test
    void repeatedNamesKeepOrderAndMissingValuesAreEmpty() {
        HttpQuery q = HttpQuery.parse("a=1&b&a=2&&a=&c=x=y");
        assertThat(q.values("a")).containsExactly(TestBytes.latin1("1"), TestBytes.latin1("2"), new byte[0]);
        assertThat(q.count("a")).isEqualTo(3);
        assertThat(q.first("b")).isEmpty();
        // only the first '=' separates name from value
        assertThat(q.firstString("c")).isEqualTo("x=y");
        assertThat(q.size()).isEqualTo(5);
    }

    @Test
    void escapedNamesAreDecoded() {
        HttpQuery q = HttpQuery.parse("info%5Fhash=1&no+peer=2");
        assertThat(q.firstString("info_hash")).isEqualTo("1");
        assertThat(q.firstString("no peer")).isEqualTo("2");
    }

    @Test
    void latin1CharactersAreBytesButWiderCharactersAreRefused() {
        assertThat(HttpQuery.parse("a=\u00e9").first("a")).containsExactly(0xe9);
        assertThatThrownBy(() -> HttpQuery.parse("a=\u20ac")).isInstanceOf(ProtocolException.class)
                .hasMessage("malformed query");
    }

    @Test
    void badPercentEscapesAreRefused() {
        for (String bad : new String[] {"a=%", "a=%1", "a=%zz", "a=%g0", "a=%0g", "a=x%2", "%=1", "a%2=1", "a=%\u0661\u0662"}) {
            assertThatThrownBy(() -> HttpQuery.parse(bad)).as(bad)
                    .isInstanceOf(ProtocolException.class).hasMessage("malformed query");
        }
    }

    @Test
    void parameterCountIsBounded() {
        StringBuilder sb = new StringBuilder("p=0");
        for (int i = 1; i < HttpQuery.MAX_PARAMETERS; i++) {
            sb.append("&p=").append(i);
        }
        assertThat(HttpQuery.parse(sb).count("p")).isEqualTo(256);
        sb.append("&p=256");
        assertThatThrownBy(() -> HttpQuery.parse(sb)).isInstanceOf(ProtocolException.class)
                .hasMessage("too many parameters");
    }

    @Test
    void nameLengthIsBounded() {
        String name64 = "n".repeat(64);
        assertThat(HttpQuery.parse(name64 + "=1").firstString(name64)).isEqualTo("1");
        assertThatThrownBy(() -> HttpQuery.parse("n".repeat(65) + "=1")).isInstanceOf(ProtocolException.class)
                .hasMessage("parameter name too long");
        assertThatThrownBy(() -> HttpQuery.parse("%6e".repeat(65) + "=1")).isInstanceOf(ProtocolException.class)
                .hasMessage("parameter name too long");
    }

    @Test
    void onlyWantedParametersAreDecodedAndBounded() {
        Set<String> wanted = Set.of("info_hash", "port");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            many.append("&u").append(i).append("=1");
        }
        String query = "x".repeat(70) + "=1&trackerid=" + "t".repeat(1100) + "&key=%ZZ&%=1&bad%zz=2&=3&n\u20ac=4"
                + many + "&info%5Fhash=%41%42&port=6881&port=1&" + "y".repeat(200);
        HttpQuery q = HttpQuery.parse(query, wanted);
        assertThat(q.first("info_hash")).isEqualTo(TestBytes.latin1("AB"));
        assertThat(q.values("port")).containsExactly(TestBytes.latin1("6881"), TestBytes.latin1("1"));
        assertThat(q.first("trackerid")).as("skipped unread").isNull();
        assertThat(q.first("key")).isNull();
        assertThat(q.size()).isEqualTo(3);

        assertThatThrownBy(() -> HttpQuery.parse("u=1&info_hash=%ZZ", wanted)).isInstanceOf(ProtocolException.class)
                .hasMessage("malformed query");
        assertThatThrownBy(() -> HttpQuery.parse("port=" + "1".repeat(1025), wanted))
                .isInstanceOf(ProtocolException.class).hasMessage("parameter value too long");
        StringBuilder tooMany = new StringBuilder("port=0");
        for (int i = 1; i <= HttpQuery.MAX_PARAMETERS; i++) {
            tooMany.append("&port=").append(i);
        }
        assertThatThrownBy(() -> HttpQuery.parse(tooMany, wanted)).isInstanceOf(ProtocolException.class)
                .hasMessage("too many parameters");
    }

    @Test
    void valueLengthIsBoundedInDecodedBytes() {
        assertThat(HttpQuery.parse("v=" + "%41".repeat(1024)).first("v")).hasSize(1024);
        assertThat(HttpQuery.parse("v=" + "A".repeat(1024)).first("v")).hasSize(1024);
        assertThatThrownBy(() -> HttpQuery.parse("v=" + "A".repeat(1025))).isInstanceOf(ProtocolException.class)
                .hasMessage("parameter value too long");
        assertThatThrownBy(() -> HttpQuery.parse("v=" + "%41".repeat(1025))).isInstanceOf(ProtocolException.class)
                .hasMessage("parameter value too long");
    }
}
