package io.shoal.tracker.protocol;

import java.util.List;

/** Raw query string split into name -> raw byte values. */
public final class HttpQuery {
    private HttpQuery() {
    }

    public static HttpQuery parse(CharSequence rawQuery) {
        throw new UnsupportedOperationException();
    }

    public List<byte[]> values(String name) {
        throw new UnsupportedOperationException();
    }

    public byte[] first(String name) {
        throw new UnsupportedOperationException();
    }

    public String firstString(String name) {
        throw new UnsupportedOperationException();
    }

    public int count(String name) {
        throw new UnsupportedOperationException();
    }
}
