package dev.recsys.consumer.attribution;

import dev.recsys.common.event.Exposure;
import java.time.Duration;
import java.util.Set;

/**
 * Which interactions count and how far back an unmarked one looks for the answer it came from.
 *
 * @param window          an interaction without {@code recommendation_id} is credited to the most recent
 *                        answer that showed its item to its user within this long before it
 * @param clickTypes      event types counted as clicks
 * @param conversionTypes event types counted as conversions
 */
public record AttributionPolicy(Duration window, Set<String> clickTypes, Set<String> conversionTypes) {

    public AttributionPolicy {
        if (window == null || window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be positive");
        clickTypes = Set.copyOf(clickTypes);
        conversionTypes = Set.copyOf(conversionTypes);
        if (clickTypes.stream().anyMatch(conversionTypes::contains)) {
            throw new IllegalArgumentException("an event type cannot be both a click and a conversion: " + clickTypes + " " + conversionTypes);
        }
    }

    public static AttributionPolicy defaults() {
        return new AttributionPolicy(Exposure.DEFAULT_ATTRIBUTION_WINDOW, Set.of("click"), Set.of("purchase"));
    }

    /** CLICK, CONVERSION, or null for an event type that is not counted. */
    Credit.Kind kindOf(String eventType) {
        if (clickTypes.contains(eventType)) return Credit.Kind.CLICK;
        if (conversionTypes.contains(eventType)) return Credit.Kind.CONVERSION;
        return null;
    }
}
