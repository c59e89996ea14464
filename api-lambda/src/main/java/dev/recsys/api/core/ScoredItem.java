package dev.recsys.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One recommended item; {@code score} is absent when the source has none. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScoredItem(@JsonProperty("item_id") String itemId, @JsonProperty("score") Double score) {}
