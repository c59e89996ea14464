package dev.recsys.personalize.engine.control;

/**
 * The resource types the engine keeps, with their ARN resource-type segment and their names on the wire:
 * the plural is the resource's table in state.json and (but for filters) the List operations' field, the singular the
 * Describe operations' field, and {@code arnField} the field holding a resource's ARN.
 */
public enum ResourceKind {
    DATASET_GROUP("dataset-group", "datasetGroups", "datasetGroup"),
    SCHEMA("schema", "schemas", "schema"),
    DATASET("dataset", "datasets", "dataset"),
    DATASET_IMPORT_JOB("dataset-import-job", "datasetImportJobs", "datasetImportJob"),
    SOLUTION("solution", "solutions", "solution"),
    SOLUTION_VERSION("solution", "solutionVersions", "solutionVersion"),
    CAMPAIGN("campaign", "campaigns", "campaign"),
    EVENT_TRACKER("event-tracker", "eventTrackers", "eventTracker"),
    /** ListFilters answers {@code Filters}, capitalised, unlike every other List operation. */
    FILTER("filter", "filters", "filter", "Filters");

    private final String arnType;
    private final String stateKey;
    private final String singular;
    private final String listField;

    ResourceKind(String arnType, String stateKey, String singular) {
        this(arnType, stateKey, singular, stateKey);
    }

    ResourceKind(String arnType, String stateKey, String singular, String listField) {
        this.arnType = arnType;
        this.stateKey = stateKey;
        this.singular = singular;
        this.listField = listField;
    }

    /** The List operation's field of summaries. */
    public String listField() {
        return listField;
    }

    public String arnType() {
        return arnType;
    }

    public String stateKey() {
        return stateKey;
    }

    /** The Describe operation's field, e.g. {@code datasetGroup}. */
    public String singular() {
        return singular;
    }

    /** The field holding the ARN, e.g. {@code datasetGroupArn}. */
    public String arnField() {
        return singular + "Arn";
    }
}
