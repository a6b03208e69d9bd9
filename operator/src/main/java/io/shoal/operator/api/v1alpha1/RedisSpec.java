package io.shoal.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Where a shard keeps its peers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "self.mode == 'External' ? has(self.url) : !has(self.url)",
        message = "url is required when mode is External and not allowed when mode is Managed")
public class RedisSpec {

    @JsonPropertyDescription("Managed: the operator runs a Redis per shard. External: shards use url.")
    @Default("Managed")
    public RedisMode mode = RedisMode.Managed;

    @JsonPropertyDescription("Redis URL for mode External, redis:// or rediss://. The text {shard} is replaced by"
            + " the shard's index, so each shard may have its own Redis.")
    @Pattern("^rediss?://.+$")
    @Size(max = 1024)
    public String url;

    @JsonPropertyDescription("Redis image for mode Managed.")
    @Size(min = 1, max = 512)
    @Default("redis:7.4-alpine")
    public String image = "redis:7.4-alpine";

    @JsonPropertyDescription("Redis maxmemory for mode Managed, e.g. 256mb or 2gb (the policy is noeviction:"
            + " a full Redis refuses new peers rather than dropping old ones).")
    @Pattern("^[0-9]{1,6}(kb|mb|gb)$")
    @Default("256mb")
    public String maxMemory = "256mb";

    @JsonPropertyDescription("Compute resources of each managed Redis. Default requests: cpu 100m, memory 320Mi.")
    public ResourceRequirements resources;
}
