package dev.recsys.common.event;

/**
 * The field names of the stream's records (interactions and exposures), which are also the lines of the raw
 * JSON Lines in S3: {@link EventJson} writes them, {@link EventParser} reads them, and the Glue job reads the
 * archived lines with a Spark schema built from the same names. Catalog items ({@code record_type: "item"}) name
 * theirs in {@link dev.recsys.common.catalog.CatalogFields}.
 */
public final class EventFields {

    // Interactions
    public static final String EVENT_ID = "event_id";
    public static final String USER_ID = "user_id";
    public static final String ITEM_ID = "item_id";
    public static final String EVENT_TYPE = "event_type";
    public static final String EVENT_VALUE = "event_value";
    /** Event time, epoch milliseconds (both kinds of record). */
    public static final String TIMESTAMP = "timestamp";
    public static final String SESSION_ID = "session_id";
    public static final String PROPERTIES = "properties";
    /** On an interaction, the answer it acted on; on an exposure, the answer's own id. */
    public static final String RECOMMENDATION_ID = "recommendation_id";

    // Exposures (user_id and item_id optional there)
    public static final String RECORD_TYPE = "record_type";
    public static final String ROUTE = "route";
    public static final String EXPERIMENT = "experiment";
    public static final String VARIANT = "variant";
    public static final String CAMPAIGN_ARN = "campaign_arn";
    public static final String MODEL_VERSION = "model_version";
    public static final String MODEL_RECOMMENDATION_ID = "model_recommendation_id";
    public static final String SOURCE = "source";
    public static final String FALLBACK_REASON = "fallback_reason";
    public static final String ITEMS = "items";
    public static final String CACHED = "cached";

    private EventFields() {}
}
