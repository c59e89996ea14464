package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_GROUP;
import static dev.recsys.personalize.engine.control.ResourceKind.EVENT_TRACKER;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/** Event trackers: at most one per dataset group; its tracking id is what PutEvents names. */
final class EventTrackers implements ResourceType {

    private final ResourceStore store;
    private final Lifecycle lifecycle;

    EventTrackers(ResourceStore store, Lifecycle lifecycle) {
        this.store = store;
        this.lifecycle = lifecycle;
    }

    @Override
    public void register(Operations ops) {
        ops.add("CreateEventTracker", this::create);
        ops.add("DescribeEventTracker", r -> store.describe(EVENT_TRACKER, r));
        ops.add("ListEventTrackers", r -> store.list(EVENT_TRACKER, r, Requests.matching(r, "datasetGroupArn"),
                "name", "eventTrackerArn", "status", "creationDateTime", "lastUpdatedDateTime"));
        ops.add("DeleteEventTracker", r -> store.delete(EVENT_TRACKER, r));
    }

    /** The dataset group the tracking id feeds, or null when no tracker has it. Call holding the store's lock. */
    String datasetGroupOf(String trackingId) {
        return store.stream(EVENT_TRACKER).filter(t -> t.path("trackingId").asText().equals(trackingId))
                .map(t -> t.path("datasetGroupArn").asText()).findFirst().orElse(null);
    }

    private ObjectNode create(ObjectNode r) {
        String name = Requests.name(r);
        String dgArn = Requests.required(r, "datasetGroupArn");
        store.get(DATASET_GROUP, dgArn);
        if (store.stream(EVENT_TRACKER).anyMatch(t -> dgArn.equals(t.path("datasetGroupArn").asText()))) {
            throw new ServiceException(ErrorCode.LimitExceededException,
                    "Dataset group " + dgArn + " already has an event tracker (limit 1)");
        }
        String arn = store.arn(EVENT_TRACKER, name);
        store.requireAbsent(EVENT_TRACKER, arn);
        String trackingId = UUID.randomUUID().toString();
        ObjectNode t = store.create(EVENT_TRACKER, arn, name);
        t.put("accountId", store.config().accountId()).put("trackingId", trackingId).put("datasetGroupArn", dgArn);
        store.persist();
        lifecycle.start(() -> store.find(EVENT_TRACKER, arn), null);
        return store.json().createObjectNode().put("eventTrackerArn", arn).put("trackingId", trackingId);
    }
}
