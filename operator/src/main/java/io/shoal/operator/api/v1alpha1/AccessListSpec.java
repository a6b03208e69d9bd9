package io.shoal.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** An infohash list every shard enforces; kept in a ConfigMap mounted into the shard pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "self.mode == 'Deny' || (has(self.infohashes) && size(self.infohashes) > 0)",
        message = "an Allow list needs at least one infohash (an empty one would refuse every torrent)")
public class AccessListSpec {

    /** A ConfigMap holds at most 1 MiB; 41 bytes per line leaves room. */
    public static final int MAX_INFOHASHES = 20_000;

    @JsonPropertyDescription("Allow: only the listed infohashes are tracked. Deny: all but the listed ones.")
    @Default("Deny")
    public AccessMode mode = AccessMode.Deny;

    @JsonPropertyDescription("Infohashes as 40 hex digits (at most 20000).")
    @Size(max = MAX_INFOHASHES)
    public List<@Pattern("^[0-9a-fA-F]{40}$") String> infohashes = new ArrayList<>();
}
