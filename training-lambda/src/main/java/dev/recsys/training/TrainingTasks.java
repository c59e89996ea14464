package dev.recsys.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.pipeline.PopularItemsDocument;
import dev.recsys.common.pipeline.PreparationManifest;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.Campaign;
import software.amazon.awssdk.services.personalize.model.CampaignUpdateSummary;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.DatasetImportJobSummary;
import software.amazon.awssdk.services.personalize.model.ImportMode;
import software.amazon.awssdk.services.personalize.model.ListDatasetImportJobsResponse;
import software.amazon.awssdk.services.personalize.model.SolutionVersion;
import software.amazon.awssdk.services.personalize.model.SolutionVersionSummary;
import software.amazon.awssdk.services.personalize.model.TrainingMode;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The training pipeline's task steps, dispatched by the {@code action} field of the state input.
 * Each returns a small JSON object the state machine stores under its ResultPath; wait loops poll
 * the {@code describe*} actions, which answer {@code status: ACTIVE | PENDING} and throw
 * {@link ResourceFailedException} when Personalize reports a failure.
 *
 * <p>Every status check ({@code ensureResources}, {@code describeImport}, {@code describeSolutionVersion},
 * {@code describeCampaign}) counts: it takes the number of checks made so far ({@code checks}, 0 when absent) and
 * answers {@code checks} + 1 with the loop's limit ({@code maxChecks}, {@link TrainingConfig#statusChecks()}) and
 * Personalize's own status ({@code personalizeStatus}); the state machine fails the run with a timeout once a loop
 * that is still pending has reached its limit. The actions that start a job answer {@code checks: 0}.
 *
 * <p>Why one class of this size: it is the state machine's Task actions, one short method each over the same clients
 * and configuration; resource creation ({@code PersonalizeResources}, {@code FilterResources}), the quality gate and
 * the experiment step are their own classes, and what remains are the import, training and campaign steps.
 */
public final class TrainingTasks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_JOB_NAME = 63;

    private final TrainingConfig config;
    private final PersonalizeClient personalize;
    private final S3Client s3;
    private final Clock clock;
    private final PersonalizeResources resources;
    private final QualityGate gate;
    private final ExperimentStep experiments;

    /** @param dynamo reads the experiment results; null when {@link TrainingConfig#experiment()} is */
    public TrainingTasks(TrainingConfig config, PersonalizeClient personalize, S3Client s3, DynamoDbClient dynamo, Clock clock) {
        this.config = config;
        this.personalize = personalize;
        this.s3 = s3;
        this.clock = clock;
        this.resources = new PersonalizeResources(personalize, config);
        this.gate = new QualityGate(config.gateTolerance());
        this.experiments = config.experiment() == null ? null : new ExperimentStep(config, dynamo, s3, resources, clock);
    }

    public JsonNode handle(JsonNode input) {
        if (input == null || !input.isObject()) throw new InvalidTaskInputException("state input must be a JSON object");
        String action = text(input, "action");
        try {
            return switch (action) {
                case "ensureResources" -> ensureResources(checks(input));
                case "startImport" -> startImport(text(input, "runId"), text(input, "datasetArn"), optionalText(input, "itemsDatasetArn"),
                        optionalText(input, "usersDatasetArn"));
                case "describeImport" -> describeImport(text(input, "importJobArn"), optionalText(input, "itemsImportJobArn"),
                        optionalText(input, "usersImportJobArn"), checks(input));
                case "createSolutionVersion" -> createSolutionVersion(text(input, "solution"), text(input, "solutionArn"));
                case "describeSolutionVersion" -> describeSolutionVersion(input);
                case "evaluate" -> evaluate(array(input, "candidates"));
                case "updateCampaign" -> updateCampaign(input);
                case "describeCampaign" -> describeCampaign(input);
                case "publishFallback" -> publishFallback(input);
                case "decideExperiment" -> experiments == null ? ExperimentStep.notConfigured() : experiments.decide();
                default -> throw new InvalidTaskInputException("unknown action '" + action + "'");
            };
        } catch (AwsServiceException e) {
            if (e.isThrottlingException() || e.statusCode() >= 500) {
                throw new TransientAwsException(action + ": " + e.getMessage(), e);
            }
            throw e;
        } catch (SdkClientException e) {
            throw new TransientAwsException(action + ": " + e.getMessage(), e);
        }
    }

    private JsonNode ensureResources(int checks) {
        PersonalizeResources.State s = resources.ensure();
        ObjectNode out = JSON.createObjectNode();
        out.put("ready", s.ready());
        out.put("checks", checks + 1);
        out.put("maxChecks", config.statusChecks().resources());
        out.put("datasetGroupArn", s.datasetGroupArn());
        out.put("datasetArn", s.datasetArn());
        out.put("itemsDatasetArn", s.itemsDatasetArn());
        out.put("usersDatasetArn", s.usersDatasetArn());
        out.put("eventTrackerArn", s.eventTrackerArn());
        out.put("trackingId", s.trackingId());
        ArrayNode solutions = out.putArray("solutions");
        for (PersonalizeResources.EnsuredSolution e : s.solutions()) {
            SolutionPlan.Solution spec = e.spec();
            solutions.addObject().put("solution", spec.name()).put("role", spec.role().label()).put("recipeArn", spec.recipeArn())
                    .put("solutionArn", e.solutionArn())
                    .put("campaignName", spec.role().deployed() ? config.campaignName(spec.name()) : null);
        }
        ObjectNode filters = out.putObject("filters");
        s.filters().forEach(filters::put);
        out.put("baseline", config.solutions().baseline().name());
        ArrayNode pending = out.putArray("pending");
        s.pending().forEach(pending::add);
        out.put("waitingFor", s.ready() ? "nothing" : String.join("; ", s.pending()));
        return out;
    }

    /**
     * Imports the run's interactions and, when the run prepared them, its items and users (all FULL: each run's files
     * are the whole state). {@code itemsImportJobArn} / {@code usersImportJobArn} are null when there was none to import.
     */
    private JsonNode startImport(String runId, String datasetArn, String itemsDatasetArn, String usersDatasetArn) {
        PreparationManifest m = manifest(runId);
        if (!PreparationManifest.SUCCEEDED.equals(m.status()) || m.csvPrefix() == null) {
            throw new InvalidTaskInputException("run " + runId + " has no prepared data (manifest status " + m.status() + ")");
        }
        String jobArn = importJob(datasetArn, jobName(runId), m.csvPrefix());
        PreparationManifest.Catalog catalog = m.catalog();
        String itemsJobArn = catalogImport(catalog, itemsDatasetArn, runId + "-items");
        PreparationManifest.Catalog users = m.userCatalog();
        String usersJobArn = catalogImport(users, usersDatasetArn, runId + "-users");
        ObjectNode out = JSON.createObjectNode();
        out.put("importJobArn", jobArn);
        out.put("itemsImportJobArn", itemsJobArn);
        out.put("usersImportJobArn", usersJobArn);
        out.put("catalogUsers", users == null ? 0 : users.live());
        out.put("catalogItems", catalog == null ? 0 : catalog.live());
        out.put("catalogUnavailable", catalog == null ? 0 : catalog.unavailable());
        out.put("catalogDropped", catalog == null ? 0 : catalog.dropped().values().stream().mapToLong(Long::longValue).sum());
        out.put("status", Statuses.PENDING);
        out.put("read", m.read());
        out.put("duplicates", m.duplicates());
        out.put("dropped", m.droppedTotal());
        out.put("written", m.written());
        out.put("users", m.users());
        out.put("items", m.items());
        return out;
    }

    private String catalogImport(PreparationManifest.Catalog catalog, String datasetArn, String jobName) {
        return catalog == null || catalog.csvPrefix() == null || datasetArn == null ? null
                : importJob(datasetArn, jobName(jobName), catalog.csvPrefix());
    }

    /** A retry after a lost response finds the job the first attempt started. */
    private String importJob(String datasetArn, String jobName, String csvPrefix) {
        return findImportJob(datasetArn, jobName).orElseGet(() -> personalize.createDatasetImportJob(b -> b
                .jobName(jobName).datasetArn(datasetArn).roleArn(config.importRoleArn()).importMode(ImportMode.FULL)
                .dataSource(d -> d.dataLocation("s3://" + config.bucket() + "/" + csvPrefix))).datasetImportJobArn());
    }

    /** ACTIVE once every started import is; a failed one fails the run with Personalize's reason. */
    private JsonNode describeImport(String importJobArn, String itemsImportJobArn, String usersImportJobArn, int checks) {
        Map<String, String> jobs = new LinkedHashMap<>();
        jobs.put("interactions", importJobArn);
        if (itemsImportJobArn != null) jobs.put("items", itemsImportJobArn);
        if (usersImportJobArn != null) jobs.put("users", usersImportJobArn);
        String status = Statuses.ACTIVE;
        List<String> statuses = new ArrayList<>();
        for (Map.Entry<String, String> j : jobs.entrySet()) {
            DatasetImportJob job = personalize.describeDatasetImportJob(b -> b.datasetImportJobArn(j.getValue())).datasetImportJob();
            if (!Statuses.isActive(Statuses.require("dataset import job " + job.jobName(), job.status(), job.failureReason()))) {
                status = Statuses.PENDING;
            }
            statuses.add(j.getKey() + " " + job.status());
        }
        // One import alone reports its bare status, as before catalogs existed.
        String personalizeStatus = jobs.size() == 1 ? statuses.get(0).substring("interactions ".length()) : String.join(", ", statuses);
        return JSON.createObjectNode().put("status", status)
                .put("personalizeStatus", personalizeStatus).put("importJobArn", importJobArn)
                .put("itemsImportJobArn", itemsImportJobArn).put("usersImportJobArn", usersImportJobArn)
                .put("checks", checks + 1).put("maxChecks", config.statusChecks().imports());
    }

    private JsonNode createSolutionVersion(String solution, String solutionArn) {
        config.solutions().solution(solution);
        // Reuse a version still training (a retried task, or a run restarted mid-training) instead of failing on
        // Personalize's one-version-at-a-time limit.
        Optional<String> inProgress = personalize.listSolutionVersions(b -> b.solutionArn(solutionArn).maxResults(100))
                .solutionVersions().stream().filter(v -> Statuses.isInProgress(v.status()))
                .map(SolutionVersionSummary::solutionVersionArn).findFirst();
        String arn = inProgress.orElseGet(() -> personalize.createSolutionVersion(b -> b.solutionArn(solutionArn)
                .trainingMode(TrainingMode.FULL)).solutionVersionArn());
        return JSON.createObjectNode().put("solution", solution).put("solutionArn", solutionArn)
                .put("solutionVersionArn", arn).put("status", Statuses.PENDING).put("checks", 0);
    }

    private JsonNode describeSolutionVersion(JsonNode input) {
        String arn = text(input, "solutionVersionArn");
        SolutionVersion v = personalize.describeSolutionVersion(b -> b.solutionVersionArn(arn)).solutionVersion();
        return JSON.createObjectNode().put("solution", text(input, "solution")).put("solutionArn", text(input, "solutionArn"))
                .put("solutionVersionArn", arn)
                .put("status", Statuses.require("solution version " + arn, v.status(), v.failureReason()))
                .put("personalizeStatus", v.status())
                .put("checks", checks(input) + 1).put("maxChecks", config.statusChecks().training());
    }

    /**
     * Gates every candidate the same way (live version and the run's popularity baseline); the baseline
     * solution itself is only compared with, never promoted.
     */
    private JsonNode evaluate(JsonNode candidates) {
        SolutionPlan plan = config.solutions();
        String baselineName = plan.baseline().name();
        String baselineArn = null;
        for (JsonNode c : candidates) {
            if (baselineName.equals(text(c, "solution"))) baselineArn = text(c, "solutionVersionArn");
        }
        if (baselineArn == null) {
            throw new InvalidTaskInputException("the candidates lack the popularity baseline '" + baselineName + "'");
        }
        QualityGate.Metrics baseline = metrics(baselineArn);

        ObjectNode out = JSON.createObjectNode();
        ArrayNode decisions = out.putArray("decisions");
        ArrayNode promoted = out.putArray("promoted");
        List<String> lines = new ArrayList<>();
        for (JsonNode c : candidates) {
            SolutionPlan.Solution spec = plan.solution(text(c, "solution"));
            String solutionArn = text(c, "solutionArn");
            String candidateArn = text(c, "solutionVersionArn");
            QualityGate.Metrics candidate = candidateArn.equals(baselineArn) ? baseline : metrics(candidateArn);
            String liveArn = null;
            QualityGate.Metrics live = null;
            QualityGate.Decision d;
            if (spec.role() == SolutionRole.TRENDING) {
                // It ranks what rises in the latest window, not a user's next item: the holdout does not judge it.
                d = new QualityGate.Decision(true, "trending is served as trained (not judged on the holdout)");
                lines.add(String.format(Locale.ROOT, "%s (%s): %s -> PROMOTE (%s)", spec.name(), spec.role().label(),
                        orElse(candidate, "no metrics"), d.reason()));
            } else if (spec.role().deployed()) {
                liveArn = resources.findCampaign(solutionArn, config.campaignName(spec.name()))
                        .map(Campaign::solutionVersionArn).orElse(null);
                live = liveArn == null ? null : metrics(liveArn);
                d = gate.decide(candidate, live, baseline);
                lines.add(String.format(Locale.ROOT, "%s (%s): candidate %s, live %s, baseline %s -> %s (%s)", spec.name(),
                        spec.role().label(), orElse(candidate, "no metrics"), orElse(live, "none"), orElse(baseline, "no metrics"),
                        d.promote() ? "PROMOTE" : "REFUSED", d.reason()));
            } else {
                d = new QualityGate.Decision(false, "the popularity baseline is trained to compare with, never deployed");
                lines.add(String.format(Locale.ROOT, "%s (%s): %s, compared with, never deployed", spec.name(),
                        spec.role().label(), orElse(candidate, "no metrics")));
            }
            ObjectNode node = decisions.addObject().put("solution", spec.name()).put("role", spec.role().label())
                    .put("solutionVersionArn", candidateArn).put("liveSolutionVersionArn", liveArn)
                    .put("baselineSolutionVersionArn", baselineArn).put("promote", d.promote()).put("reason", d.reason());
            putMetrics(node, "candidate", candidate);
            putMetrics(node, "live", live);
            putMetrics(node, "baseline", baseline);
            if (d.promote()) {
                promoted.addObject().put("solution", spec.name()).put("solutionArn", solutionArn)
                        .put("solutionVersionArn", candidateArn);
            }
        }
        out.put("promotedCount", promoted.size());
        out.put("summary", String.join("; ", lines));
        return out;
    }

    private JsonNode updateCampaign(JsonNode input) {
        SolutionPlan.Solution spec = config.solutions().solution(text(input, "solution"));
        if (!spec.role().deployed()) {
            throw new InvalidTaskInputException("solution '" + spec.name() + "' is the popularity baseline and has no campaign");
        }
        String solutionArn = text(input, "solutionArn");
        String versionArn = text(input, "solutionVersionArn");
        String name = config.campaignName(spec.name());
        Optional<Campaign> existing = resources.findCampaign(solutionArn, name);
        ObjectNode out = JSON.createObjectNode().put("solution", spec.name()).put("solutionVersionArn", versionArn).put("checks", 0);
        if (existing.isEmpty()) {
            out.put("campaignArn", personalize.createCampaign(b -> b.name(name).solutionVersionArn(versionArn)
                    .minProvisionedTPS(config.minProvisionedTps())).campaignArn());
            out.put("previousSolutionVersionArn", (String) null);
            return out;
        }
        Campaign c = existing.get();
        out.put("campaignArn", c.campaignArn());
        CampaignUpdateSummary latest = c.latestCampaignUpdate();
        boolean alreadyRequested = versionArn.equals(c.solutionVersionArn())
                || (latest != null && versionArn.equals(latest.solutionVersionArn()) && !Statuses.isFailed(latest.status()));
        out.put("previousSolutionVersionArn", c.solutionVersionArn());
        if (!alreadyRequested) {
            personalize.updateCampaign(b -> b.campaignArn(c.campaignArn()).solutionVersionArn(versionArn)
                    .minProvisionedTPS(config.minProvisionedTps()));
        }
        return out;
    }

    private JsonNode describeCampaign(JsonNode input) {
        String campaignArn = text(input, "campaignArn");
        String versionArn = text(input, "solutionVersionArn");
        Campaign c = personalize.describeCampaign(b -> b.campaignArn(campaignArn)).campaign();
        String status = Statuses.require("campaign " + c.name(), c.status(), c.failureReason());
        String personalizeStatus = c.status();
        CampaignUpdateSummary latest = c.latestCampaignUpdate();
        if (latest != null && versionArn.equals(latest.solutionVersionArn())) {
            // A failed update leaves the campaign serving its previous version: say which.
            status = Statuses.require("update of campaign " + c.name() + " (still serving " + c.solutionVersionArn() + ")",
                    latest.status(), latest.failureReason());
            personalizeStatus = "update " + latest.status();
        } else if (!versionArn.equals(c.solutionVersionArn())) {
            status = Statuses.PENDING;
            personalizeStatus = c.status() + " serving " + c.solutionVersionArn();
        }
        return JSON.createObjectNode().put("solution", text(input, "solution")).put("campaignArn", campaignArn)
                .put("solutionVersionArn", versionArn).put("status", status).put("personalizeStatus", personalizeStatus)
                .put("checks", checks(input) + 1).put("maxChecks", config.statusChecks().campaigns());
    }

    private JsonNode publishFallback(JsonNode input) {
        String runId = text(input, "runId");
        JsonNode solutions = array(input, "solutions");
        PreparationManifest m = manifest(runId);
        // The manifest counts interactions per item; the API's score is a double.
        List<PopularItemsDocument.Item> items = m.popularItems().stream().limit(config.popularItems())
                .map(p -> new PopularItemsDocument.Item(p.itemId(), (double) p.score())).toList();
        PopularItemsDocument doc = new PopularItemsDocument(clock.instant().toString(), runId, items);
        s3.putObject(b -> b.bucket(config.bucket()).key(S3Layout.POPULAR_ITEMS_KEY).contentType("application/json"),
                RequestBody.fromBytes(doc.toJson()));

        List<String> updated = new ArrayList<>();
        for (JsonNode c : input.path("campaigns")) {
            updated.add(c.path("solution").asText() + " -> " + c.path("solutionVersionArn").asText());
        }
        // Every campaign that exists now, promoted this run or earlier: where callers find the ARNs.
        ObjectNode serving = JSON.createObjectNode();
        for (JsonNode s : solutions) {
            if (s.path("campaignName").isTextual()) {
                resources.findCampaign(text(s, "solutionArn"), s.get("campaignName").asText())
                        .ifPresent(c -> serving.put(text(s, "solution"), c.campaignArn()));
            }
        }
        String summary = String.format(Locale.ROOT,
                "Training run %s succeeded. Data: read %d events, %d duplicates, %d dropped, imported %d interactions"
                        + " from %d users on %d items. %s Evaluation: %s. Campaigns updated: %s. Serving: %s. Fallback: %d popular"
                        + " items published to s3://%s/%s. %s",
                runId, m.read(), m.duplicates(), m.droppedTotal(), m.written(), m.users(), m.items(), catalogSummary(m.catalog()) + " " + usersSummary(m.userCatalog()),
                input.path("evaluation").path("summary").asText("n/a"), updated.isEmpty() ? "none" : String.join(", ", updated),
                serving.isEmpty() ? "none" : String.join(", ", serving.properties().stream().map(Map.Entry::getKey).toList()), items.size(), config.bucket(),
                S3Layout.POPULAR_ITEMS_KEY, input.path("experiment").path("summary").asText("Experiment: no decision step ran."));
        ObjectNode out = JSON.createObjectNode().put("fallbackKey", S3Layout.POPULAR_ITEMS_KEY).put("items", items.size()).put("summary", summary);
        out.set("campaigns", serving);
        return out;
    }

    // --- helpers ---

    private static String catalogSummary(PreparationManifest.Catalog c) {
        if (c == null || c.files() == 0) return "Catalog: none (no item records or bulk files).";
        return String.format(Locale.ROOT, "Catalog: imported %d items (%d unavailable), %d deleted, %d records dropped.", c.live(),
                c.unavailable(), c.deleted(), c.dropped().values().stream().mapToLong(Long::longValue).sum());
    }

    private static String usersSummary(PreparationManifest.Catalog c) {
        if (c == null || c.files() == 0) return "Users: none (no user records or bulk files).";
        return String.format(Locale.ROOT, "Users: imported %d, %d deleted, %d records dropped.", c.live(), c.deleted(),
                c.dropped().values().stream().mapToLong(Long::longValue).sum());
    }

    private PreparationManifest manifest(String runId) {
        String key = S3Layout.preparedManifestKey(runId);
        try {
            return PreparationManifest.parse(s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            throw new InvalidTaskInputException("no manifest at s3://" + config.bucket() + "/" + key
                    + ": the data preparation of run " + runId + " did not complete");
        } catch (IOException e) {
            throw new InvalidTaskInputException("manifest is not JSON: " + e.getMessage());
        }
    }

    private QualityGate.Metrics metrics(String solutionVersionArn) {
        var response = personalize.getSolutionMetrics(b -> b.solutionVersionArn(solutionVersionArn));
        return QualityGate.Metrics.from(response.hasMetrics() ? response.metrics() : null);
    }

    private Optional<String> findImportJob(String datasetArn, String jobName) {
        String token = null;
        do {
            String t = token;
            ListDatasetImportJobsResponse page = personalize.listDatasetImportJobs(b -> b.datasetArn(datasetArn).nextToken(t).maxResults(100));
            for (DatasetImportJobSummary j : page.datasetImportJobs()) {
                if (j.jobName().equals(jobName)) return Optional.of(j.datasetImportJobArn());
            }
            token = page.nextToken();
        } while (token != null);
        return Optional.empty();
    }

    private String jobName(String runId) {
        String name = config.namePrefix() + "-" + runId;
        if (name.length() <= MAX_JOB_NAME) return name;
        // Long execution names: keep the name unique per run with a hash suffix.
        String hash = Integer.toHexString(runId.hashCode());
        return name.substring(0, MAX_JOB_NAME - hash.length() - 1) + "-" + hash;
    }

    private static String orElse(QualityGate.Metrics m, String absent) {
        return m == null ? absent : m.toString();
    }

    private static void putMetrics(ObjectNode node, String field, QualityGate.Metrics m) {
        if (m == null) {
            node.putNull(field);
        } else {
            node.putObject(field).put("ndcgAt10", m.ndcgAt10()).put("precisionAt10", m.precisionAt10());
        }
    }

    private static String text(JsonNode input, String field) {
        JsonNode v = input.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new InvalidTaskInputException("state input needs a non-empty string field '" + field + "'");
        }
        return v.asText();
    }

    /** A string field that may be absent or null. */
    private static String optionalText(JsonNode input, String field) {
        JsonNode v = input.get(field);
        if (v == null || v.isNull()) return null;
        return text(input, field);
    }

        /** The status checks a wait loop made before this one: {@code checks}, 0 when absent or null. */
    private static int checks(JsonNode input) {
        JsonNode v = input.get("checks");
        if (v == null || v.isNull()) return 0;
        if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > Integer.MAX_VALUE - 1) {
            throw new InvalidTaskInputException("state input field 'checks' must be a whole number >= 0, got " + v);
        }
        return v.asInt();
    }

    private static JsonNode array(JsonNode input, String field) {
        JsonNode v = input.get(field);
        if (v == null || !v.isArray()) throw new InvalidTaskInputException("state input needs an array field '" + field + "'");
        return v;
    }
}
