package dev.recsys.personalize.engine.control;

/** The resource types the engine keeps, with their ARN resource-type segment and state key. */
public enum ResourceKind {
    DATASET_GROUP("dataset-group", "datasetGroups"),
    SCHEMA("schema", "schemas"),
    DATASET("dataset", "datasets"),
    DATASET_IMPORT_JOB("dataset-import-job", "datasetImportJobs"),
    SOLUTION("solution", "solutions"),
    SOLUTION_VERSION("solution", "solutionVersions"),
    CAMPAIGN("campaign", "campaigns"),
    EVENT_TRACKER("event-tracker", "eventTrackers");

    private final String arnType;
    private final String stateKey;

    ResourceKind(String arnType, String stateKey) {
        this.arnType = arnType;
        this.stateKey = stateKey;
    }

    public String arnType() {
        return arnType;
    }

    public String stateKey() {
        return stateKey;
    }
}
