package dev.recsys.personalize.engine.control;

/**
 * The resource types the engine keeps, with their ARN resource-type segment and their names on the wire:
 * the plural is both the List operations' field and the resource's table in state.json, the singular the
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
    EVENT_TRACKER("event-tracker", "eventTrackers", "eventTracker");

    private final String arnType;
    private final String stateKey;
    private final String singular;

    ResourceKind(String arnType, String stateKey, String singular) {
        this.arnType = arnType;
        this.stateKey = stateKey;
        this.singular = singular;
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
