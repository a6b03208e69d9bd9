package io.shoal.tracker.cli;

import io.shoal.routing.Endpoint;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Endpoints for a run of shards given on the command line: either one {@code host:port} per shard, in
 * shard order, or a template whose {@code %d} is replaced by the shard index. Pure; a mistake is an
 * IllegalArgumentException whose message is meant for the user.
 */
record RoutingEndpoints(List<String> listed, String template) {

    static final String INDEX = "%d";

    RoutingEndpoints {
        listed = listed == null ? List.of() : List.copyOf(listed);
        if (!listed.isEmpty() && template != null) {
            throw new IllegalArgumentException("give either --endpoint or --endpoint-template, not both");
        }
        if (template != null) {
            int at = template.indexOf(INDEX);
            if (at < 0 || template.indexOf(INDEX, at + 1) >= 0) {
                throw new IllegalArgumentException("--endpoint-template must contain %d exactly once, e.g. "
                        + "'shoal-shard-%d:6970': " + template);
            }
        }
        for (String e : listed) {
            Endpoint.parse(e);
        }
    }

    boolean isEmpty() {
        return listed.isEmpty() && template == null;
    }

    /**
     * Endpoints of shards {@code first .. first+count-1}. With a list, it must name exactly {@code count}
     * endpoints; with nothing given, every shard gets none (null).
     */
    IntFunction<String> forShards(int first, int count) {
        if (template != null) {
            for (int shard = first; shard < first + count; shard++) {
                String e = fromTemplate(shard);
                try {
                    Endpoint.parse(e);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("--endpoint-template gives shard " + shard + " " + ex.getMessage(), ex);
                }
            }
            return this::fromTemplate;
        }
        if (listed.isEmpty()) {
            return shard -> null;
        }
        if (listed.size() != count) {
            throw new IllegalArgumentException(count == 0
                    ? "no shard is new, so --endpoint has nothing to name (" + listed.size() + " given)"
                    : "--endpoint must be given once per " + describe(first, count) + ": " + count
                            + " expected, " + listed.size() + " given");
        }
        return shard -> listed.get(shard - first);
    }

    private String fromTemplate(int shard) {
        return template.replace(INDEX, Integer.toString(shard));
    }

    private static String describe(int first, int count) {
        if (first == 0) {
            return "shard";
        }
        return count == 1 ? "new shard (" + first + ")" : "new shard (" + first + ".." + (first + count - 1) + ")";
    }
}
