package io.shoal.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Announce settings passed to every shard. Durations: a number with an optional unit ms, s, m, h or d; more than 0, at most 365d. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "self.numwantDefault <= self.numwantMax",
        message = "numwantDefault must not exceed numwantMax")
public class AnnounceSpec {

    static final String DURATION = "^[0-9]{1,9}(ms|s|m|h|d)?$";

    @JsonPropertyDescription("Re-announce interval told to clients, e.g. 30m.")
    @Pattern(DURATION)
    @Default("30m")
    public String interval = "30m";

    @JsonPropertyDescription("Minimum re-announce interval told to clients; not more than interval.")
    @Pattern(DURATION)
    @Default("15m")
    public String minInterval = "15m";

    @JsonPropertyDescription("A peer is dropped this long after its last announce; longer than interval.")
    @Pattern(DURATION)
    @Default("45m")
    public String peerTtl = "45m";

    @JsonPropertyDescription("Peers in a reply when the client does not say how many it wants.")
    @Min(0)
    @Max(2000)
    @Default("50")
    public int numwantDefault = 50;

    @JsonPropertyDescription("Most peers in a reply, whatever the client asks.")
    @Min(1)
    @Max(2000)
    @Default("200")
    public int numwantMax = 200;
}
