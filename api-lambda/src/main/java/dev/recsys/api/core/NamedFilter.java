package dev.recsys.api.core;

import dev.recsys.common.filter.FilterExpression;
import java.util.Objects;

/**
 * A configured filter: the name clients send ({@code ?filter=}), the Personalize filter the pipeline created from the
 * expression, and the expression itself, which tells the API the filter's parameters and filters fallback answers
 * the way Personalize filters the model's.
 */
public record NamedFilter(String name, String arn, FilterExpression expression) {

    public NamedFilter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(expression, "expression");
    }
}
