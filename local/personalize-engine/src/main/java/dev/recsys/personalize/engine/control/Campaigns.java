package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.Lifecycle.ACTIVE;
import static dev.recsys.personalize.engine.control.Lifecycle.FAILED;
import static dev.recsys.personalize.engine.control.Lifecycle.PENDING;
import static dev.recsys.personalize.engine.control.ResourceKind.CAMPAIGN;
import static dev.recsys.personalize.engine.control.ResourceKind.SOLUTION_VERSION;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.personalize.engine.storage.ModelRepository;

/**
 * Campaigns: a solution version being served. An UpdateCampaign keeps the campaign ACTIVE on the old
 * version while {@code latestCampaignUpdate} goes through the lifecycle; the switch happens when it turns ACTIVE.
 */
final class Campaigns implements ResourceType {

    private static final String UPDATE = "latestCampaignUpdate";

    private final ResourceStore store;
    private final Lifecycle lifecycle;
    private final ModelRepository models;

    Campaigns(ResourceStore store, Lifecycle lifecycle, ModelRepository models) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.models = models;
    }

    @Override
    public void register(Operations ops) {
        ops.add("CreateCampaign", this::create);
        ops.add("DescribeCampaign", r -> store.describe(CAMPAIGN, r));
        ops.add("ListCampaigns", this::list);
        ops.add("UpdateCampaign", this::update);
        ops.add("DeleteCampaign", r -> store.delete(CAMPAIGN, r));
    }

    /** After a restart an update in flight cannot finish (its model load is gone): it fails, the campaign serves on. */
    void recoverUpdates() {
        store.stream(CAMPAIGN).filter(c -> c.has(UPDATE) && Lifecycle.inFlight(c.get(UPDATE))).forEach(c -> {
            ObjectNode u = (ObjectNode) c.get(UPDATE);
            Lifecycle.setStatus(u, FAILED);
            u.put("failureReason", "The engine restarted while this update was in progress");
        });
    }

    private ObjectNode create(ObjectNode r) {
        String name = Requests.name(r);
        String svArn = Requests.required(r, "solutionVersionArn");
        int tps = r.path("minProvisionedTPS").asInt(1);
        if (tps < 1) throw ServiceException.invalid("minProvisionedTPS must be >= 1");
        activeVersion(svArn);
        Exploration.of(r.path("campaignConfig"));
        String arn = store.arn(CAMPAIGN, name);
        store.requireAbsent(CAMPAIGN, arn);
        ObjectNode c = store.create(CAMPAIGN, arn, name);
        c.put("solutionVersionArn", svArn).put("minProvisionedTPS", tps);
        Requests.copyIfPresent(r, c, "campaignConfig");
        store.persist();
        lifecycle.start(() -> store.find(CAMPAIGN, arn), () -> {
            models.get(SolutionVersions.idOf(svArn));
            return n -> {};
        });
        return store.json().createObjectNode().put("campaignArn", arn);
    }

    private ObjectNode list(ObjectNode r) {
        String solutionArn = r.path("solutionArn").asText("");
        return store.list(CAMPAIGN, r, c -> solutionArn.isEmpty()
                        || c.path("solutionVersionArn").asText().startsWith(solutionArn + "/"),
                "name", "campaignArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason");
    }

    private ObjectNode update(ObjectNode r) {
        String arn = Requests.required(r, "campaignArn");
        ObjectNode c = store.get(CAMPAIGN, arn);
        if (!ACTIVE.equals(c.path("status").asText())) {
            throw new ServiceException(ErrorCode.ResourceInUseException, "Campaign " + arn + " is " + c.path("status").asText());
        }
        if (c.has(UPDATE) && Lifecycle.inFlight(c.get(UPDATE))) {
            throw new ServiceException(ErrorCode.ResourceInUseException, "Campaign " + arn + " is already being updated");
        }
        String svArn = r.path("solutionVersionArn").asText(c.path("solutionVersionArn").asText());
        ObjectNode v = activeVersion(svArn);
        ObjectNode current = store.find(SOLUTION_VERSION, c.path("solutionVersionArn").asText());
        if (current != null && !current.path("datasetGroupArn").equals(v.path("datasetGroupArn"))) {
            throw ServiceException.invalid("Solution version " + svArn + " belongs to another dataset group");
        }
        int tps = r.path("minProvisionedTPS").asInt(c.path("minProvisionedTPS").asInt(1));
        if (tps < 1) throw ServiceException.invalid("minProvisionedTPS must be >= 1");
        ObjectNode update = store.json().createObjectNode().put("solutionVersionArn", svArn).put("minProvisionedTPS", tps);
        if (r.has("campaignConfig")) Exploration.of(r.get("campaignConfig"));
        if (r.has("campaignConfig")) update.set("campaignConfig", r.get("campaignConfig"));
        else if (c.has("campaignConfig")) update.set("campaignConfig", c.get("campaignConfig"));
        update.put("status", PENDING).put("creationDateTime", ResourceStore.now()).put("lastUpdatedDateTime", ResourceStore.now());
        c.set(UPDATE, update);
        store.persist();
        lifecycle.start(() -> {
            ObjectNode live = store.find(CAMPAIGN, arn);
            return live == null ? null : (ObjectNode) live.get(UPDATE);
        }, () -> {
            models.get(SolutionVersions.idOf(svArn));
            // Serving switches to the new version only now, when the update turns ACTIVE.
            return u -> {
                ObjectNode live = store.find(CAMPAIGN, arn);
                if (live == null) return;
                live.put("solutionVersionArn", svArn).put("minProvisionedTPS", tps).put("lastUpdatedDateTime", ResourceStore.now());
                if (u.has("campaignConfig")) live.set("campaignConfig", u.get("campaignConfig"));
            };
        });
        return store.json().createObjectNode().put("campaignArn", arn);
    }

    private ObjectNode activeVersion(String svArn) {
        ObjectNode v = store.get(SOLUTION_VERSION, svArn);
        if (!ACTIVE.equals(v.path("status").asText())) {
            throw ServiceException.invalid("Solution version " + svArn + " is " + v.path("status").asText() + ", not ACTIVE");
        }
        return v;
    }
}
