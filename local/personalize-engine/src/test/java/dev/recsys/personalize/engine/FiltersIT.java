package dev.recsys.personalize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.common.keys.UsersDataset;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.junit.WithLocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.personalizeevents.PersonalizeEventsClient;
import software.amazon.awssdk.services.personalizeevents.model.Event;
import software.amazon.awssdk.services.personalizeevents.model.Item;
import software.amazon.awssdk.services.personalizeevents.model.User;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;
import software.amazon.awssdk.services.personalizeruntime.model.PredictedItem;

/**
 * Filters, the Items catalog and item metadata through the unchanged SDK clients: each supported expression form
 * keeps exactly the items a plain Java reading of the test's own catalog keeps (the oracle never goes through the
 * engine's parser), in the model's order; unsupported expressions and bad values get Personalize's typed errors;
 * PutItems, PutUsers and PutEvents change the next filtered answer; a restart keeps catalog, users and filters.
 */
@WithLocalStack(services = Service.S3)
class FiltersIT {

    static final String BUCKET = "recsys-filters-it";
    static final int ITEMS = 500;
    static final String USER = "user-000001";

    static LocalStack stack;
    @TempDir
    static Path stateDir;
    static PersonalizeEngine engine;
    static PersonalizeClient personalize;
    static PersonalizeRuntimeClient runtime;
    static PersonalizeEventsClient events;
    static String group, itemsDataset, usersDataset, userCampaign, simsCampaign, rankingCampaign, trackingId;
    /** The test's own catalog: item → column → value. */
    static final Map<String, Map<String, String>> catalog = new HashMap<>();
    /** Campaign name → the solution version it serves. */
    static final Map<String, String> versions = new HashMap<>();

    @BeforeAll
    static void start(LocalStack s) throws Exception {
        stack = s;
        stack.createBucket(BUCKET);
        stack.s3().putObject(b -> b.bucket(BUCKET).key("prepared/interactions/part-00000.csv"), RequestBody.fromString(EngineFixture.csv(30_000)));
        stack.s3().putObject(b -> b.bucket(BUCKET).key("prepared/items/part-00000.csv"), RequestBody.fromString(itemsCsv()));
        // USER is a minor on the free plan, user-000002 an adult: what IF CurrentUser conditions tell apart.
        stack.s3().putObject(b -> b.bucket(BUCKET).key("prepared/users/part-00000.csv"), RequestBody.fromString(
                String.join(",", UsersDataset.COLUMNS) + "\n" + USER + ",cat-1,free,15\nuser-000002,cat-2,plus,40\nuser-000003,,,\n"));
        startEngine();
        group = personalize.createDatasetGroup(b -> b.name("filters-it")).datasetGroupArn();
        until(() -> personalize.describeDatasetGroup(b -> b.datasetGroupArn(group)).datasetGroup().status());
        String interactions = dataset("Interactions", EngineFixture.INTERACTIONS_SCHEMA);
        itemsDataset = dataset("Items", ItemsDataset.schemaJson());
        assertThat(importJob("interactions-1", interactions, "prepared/interactions/")).isEqualTo("ACTIVE");
        assertThat(importJob("items-1", itemsDataset, "prepared/items/")).isEqualTo("ACTIVE");
        usersDataset = dataset("Users", UsersDataset.schemaJson());
        assertThat(importJob("users-1", usersDataset, "prepared/users/")).isEqualTo("ACTIVE");
        userCampaign = campaign("f-user", "aws-user-personalization-v2");
        simsCampaign = campaign("f-sims", "aws-sims");
        rankingCampaign = campaign("f-ranking", "aws-personalized-ranking");
        String tracker = personalize.createEventTracker(b -> b.name("f-tracker").datasetGroupArn(group)).eventTrackerArn();
        until(() -> personalize.describeEventTracker(b -> b.eventTrackerArn(tracker)).eventTracker().status());
        trackingId = personalize.describeEventTracker(b -> b.eventTrackerArn(tracker)).eventTracker().trackingId();
    }

    static void startEngine() {
        engine = PersonalizeEngine.start(EngineFixture.config(stack.endpoints(), stateDir, BUCKET));
        personalize = EngineFixture.control(engine.endpoint());
        runtime = EngineFixture.runtime(engine.endpoint());
        events = EngineFixture.events(engine.endpoint());
    }

    @AfterAll
    static void stop() {
        if (engine == null) return;
        personalize.close();
        runtime.close();
        events.close();
        engine.close();
    }

    /** Categories cat-0..4, genres g0..2 plus g10..16, prices 0..99, every tenth item unavailable. */
    static String itemsCsv() {
        StringBuilder b = new StringBuilder(String.join(",", ItemsDataset.COLUMNS)).append('\n');
        for (int i = 0; i < ITEMS; i++) {
            String id = String.format("item-%06d", i);
            Map<String, String> row = new HashMap<>();
            row.put("CATEGORY", "cat-" + i % 5);
            row.put("BRAND", i % 2 == 0 ? "acme" : "");
            row.put("GENRES", "g" + i % 3 + "|g" + (10 + i % 7));
            row.put("PRICE", Integer.toString(i % 100));
            row.put("AVAILABLE", i % 10 == 0 ? "false" : "true");
            row.put("CREATION_TIMESTAMP", Long.toString(1_700_000_000L + i));
            catalog.put(id, row);
            List<String> cells = new ArrayList<>();
            cells.add(id);
            for (String c : ItemsDataset.COLUMNS.subList(1, ItemsDataset.COLUMNS.size())) cells.add(row.get(c));
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    /** Polls a status until the resource is done; returns the final status. */
    static String until(java.util.function.Supplier<String> status) {
        String[] last = {null};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = status.get();
            return last[0].equals("ACTIVE") || last[0].equals("CREATE FAILED");
        });
        return last[0];
    }

    /** A solution of the recipe, one trained version, and a campaign serving it. */
    static String campaign(String name, String recipe) {
        String solution = personalize.createSolution(b -> b.name(name).datasetGroupArn(group).recipeArn("arn:aws:personalize:::recipe/" + recipe))
                .solutionArn();
        until(() -> personalize.describeSolution(b -> b.solutionArn(solution)).solution().status());
        String version = personalize.createSolutionVersion(b -> b.solutionArn(solution)).solutionVersionArn();
        assertThat(until(() -> personalize.describeSolutionVersion(b -> b.solutionVersionArn(version)).solutionVersion().status()))
                .isEqualTo("ACTIVE");
        String arn = personalize.createCampaign(b -> b.name(name).solutionVersionArn(version)).campaignArn();
        until(() -> personalize.describeCampaign(b -> b.campaignArn(arn)).campaign().status());
        versions.put(name, version);
        return arn;
    }

    static String dataset(String type, String schema) {
        String schemaArn = personalize.createSchema(b -> b.name("f-" + type).schema(schema)).schemaArn();
        String arn = personalize.createDataset(b -> b.name("f-" + type).datasetGroupArn(group).datasetType(type).schemaArn(schemaArn)).datasetArn();
        until(() -> personalize.describeDataset(b -> b.datasetArn(arn)).dataset().status());
        return arn;
    }

    static String importJob(String name, String dataset, String prefix) {
        String arn = personalize.createDatasetImportJob(b -> b.jobName(name).datasetArn(dataset)
                .roleArn("arn:aws:iam::000000000000:role/personalize").dataSource(d -> d.dataLocation("s3://" + BUCKET + "/" + prefix)))
                .datasetImportJobArn();
        return until(() -> personalize.describeDatasetImportJob(b -> b.datasetImportJobArn(arn)).datasetImportJob().status());
    }

    static String filter(String name, String expression) {
        String arn = personalize.createFilter(b -> b.name(name).datasetGroupArn(group).filterExpression(expression)).filterArn();
        await().atMost(Duration.ofSeconds(30)).until(() -> personalize.describeFilter(b -> b.filterArn(arn)).filter().status().equals("ACTIVE"));
        return arn;
    }

    static List<String> recommend(String filterArn, Map<String, String> values, int n) {
        return recommend(USER, filterArn, values, n);
    }

    static List<String> recommend(String user, String filterArn, Map<String, String> values, int n) {
        return ids(runtime.getRecommendations(b -> {
            b.campaignArn(userCampaign).userId(user).numResults(n);
            if (filterArn != null) b.filterArn(filterArn).filterValues(values);
        }).itemList());
    }

    /** The unfiltered order of every item the model can recommend, cut down by the oracle to the first n kept. */
    static List<String> expected(Predicate<String> keep, int n) {
        return recommend(null, Map.of(), 500).stream().filter(keep).limit(n).toList();
    }

    static Predicate<String> column(String column, Predicate<String> value) {
        return id -> catalog.containsKey(id) && catalog.get(id).get(column) != null && !catalog.get(id).get(column).isEmpty()
                && value.test(catalog.get(id).get(column));
    }

    @Test
    void includeByCategoryWithParameterValuesKeepsExactlyThoseItemsInTheModelsOrder() {
        String f = filter("by-category", "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATS)");
        List<String> got = recommend(f, Map.of("CATS", "\"cat-1\",\"cat-3\""), 40);
        assertThat(got).hasSize(40).isEqualTo(expected(column("CATEGORY", c -> c.equals("cat-1") || c.equals("cat-3")), 40));
        // An INCLUDE needs all its values; none is a typed 400, not "everything".
        assertThatThrownBy(() -> recommend(f, Map.of(), 10))
                .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.InvalidInputException.class)
                .hasMessageContaining("CATS");
        assertThatThrownBy(() -> recommend(f, Map.of("CATS", "\"cat-1"), 10))
                .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.InvalidInputException.class)
                .hasMessageContaining("quote");
        assertThatThrownBy(() -> recommend(f, Map.of("CATS", "\"" + "x".repeat(1_001) + "\""), 10))
                .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.InvalidInputException.class)
                .hasMessageContaining("1000");
    }

    @Test
    void numericComparisonsMultiValueFieldsAndClausesJoinedWithABar() {
        String cheap = filter("cheap", "INCLUDE ItemID WHERE Items.PRICE < $MAX");
        assertThat(recommend(cheap, Map.of("MAX", "\"20\""), 30))
                .isEqualTo(expected(column("PRICE", p -> Integer.parseInt(p) < 20), 30));

        String genre = filter("genre", "EXCLUDE ItemID WHERE Items.GENRES IN (\"g1\", \"g12\")");
        Predicate<String> noG1 = column("GENRES", g -> List.of(g.split("\\|")).contains("g1") || List.of(g.split("\\|")).contains("g12")).negate();
        assertThat(recommend(genre, Map.of(), 60)).isEqualTo(expected(noG1, 60));

        String both = filter("both", "INCLUDE ItemID WHERE Items.CATEGORY IN (\"cat-2\") AND Items.PRICE >= 50"
                + " | EXCLUDE ItemID WHERE Items.AVAILABLE IN (\"false\")");
        Predicate<String> oracle = column("CATEGORY", c -> c.equals("cat-2")).and(column("PRICE", p -> Integer.parseInt(p) >= 50))
                .and(column("AVAILABLE", a -> !a.equals("false")));
        List<String> got = recommend(both, Map.of(), 20);
        assertThat(got).isNotEmpty().isEqualTo(expected(oracle, 20));
    }

    @Test
    void relatedItemsFilteredByTheCurrentItemsCategory() {
        String same = filter("same-category", "INCLUDE ItemID WHERE Items.CATEGORY IN (CurrentItem.CATEGORY)");
        List<String> all = ids(runtime.getRecommendations(b -> b.campaignArn(simsCampaign).itemId("item-000013").numResults(500)).itemList());
        List<String> got = ids(runtime.getRecommendations(b -> b.campaignArn(simsCampaign).itemId("item-000013").numResults(25)
                .filterArn(same)).itemList());
        assertThat(got).hasSize(25).isEqualTo(all.stream().filter(column("CATEGORY", c -> c.equals("cat-3"))).limit(25).toList());
    }

    @Test
    void excludePurchasedItemsFromImportsAndFromPutEvents() {
        String notBought = filter("not-bought", "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")");
        Set<String> purchased = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (String line : EngineFixture.csv(30_000).split("\n")) {
            String[] f = line.split(",", -1);
            if (!f[0].equals(USER)) continue;
            seen.add(f[1]);
            if (f[2].equals("purchase")) purchased.add(f[1]);
        }
        assertThat(purchased).isNotEmpty();
        List<String> candidates = new ArrayList<>(seen);
        candidates.add("item-000499");
        List<String> ranked = ids(runtime.getPersonalizedRanking(b -> b.campaignArn(rankingCampaign).userId(USER).inputList(candidates)
                .filterArn(notBought)).personalizedRanking());
        assertThat(ranked).containsExactlyInAnyOrderElementsOf(candidates.stream().filter(c -> !purchased.contains(c)).toList());

        // A real-time purchase counts at once.
        String next = ranked.get(0);
        events.putEvents(b -> b.trackingId(trackingId).userId(USER).sessionId("s-1").eventList(Event.builder().eventType("purchase")
                .itemId(next).sentAt(java.time.Instant.now()).build()));
        List<String> after = ids(runtime.getPersonalizedRanking(b -> b.campaignArn(rankingCampaign).userId(USER).inputList(candidates)
                .filterArn(notBought)).personalizedRanking());
        assertThat(after).doesNotContain(next).hasSize(ranked.size() - 1);
    }

    @Test
    void putItemsChangesWhatTheNextFilteredAnswerKeeps() {
        String f = filter("category-param", "INCLUDE ItemID WHERE Items.CATEGORY IN ($CAT)");
        String moved = recommend(null, Map.of(), 500).stream().filter(column("CATEGORY", c -> c.equals("cat-4"))).findFirst().orElseThrow();
        assertThat(recommend(f, Map.of("CAT", "\"cat-4\""), 500)).contains(moved);
        events.putItems(b -> b.datasetArn(itemsDataset).items(Item.builder().itemId(moved)
                .properties("{\"category\": \"cat-9\", \"price\": 1, \"available\": \"true\", \"creationTimestamp\": 1700000000}").build()));
        // PutItems replaces the whole item, so the oracle's copy does too.
        catalog.put(moved, new HashMap<>(Map.of("CATEGORY", "cat-9", "PRICE", "1", "AVAILABLE", "true", "CREATION_TIMESTAMP", "1700000000")));
        assertThat(recommend(f, Map.of("CAT", "\"cat-4\""), 500)).doesNotContain(moved);
        assertThat(recommend(f, Map.of("CAT", "\"cat-9\""), 500)).containsExactly(moved);
        // A field outside the schema, or a bad number, is refused and changes nothing.
        assertThatThrownBy(() -> events.putItems(b -> b.datasetArn(itemsDataset).items(Item.builder().itemId(moved)
                .properties("{\"colour\": \"red\"}").build())))
                .isInstanceOf(software.amazon.awssdk.services.personalizeevents.model.InvalidInputException.class)
                .hasMessageContaining("COLOUR");
        assertThatThrownBy(() -> events.putItems(b -> b.datasetArn(itemsDataset).items(Item.builder().itemId(moved)
                .properties("{\"price\": \"cheap\"}").build())))
                .isInstanceOf(software.amazon.awssdk.services.personalizeevents.model.InvalidInputException.class)
                .hasMessageContaining("not a number");
        assertThat(recommend(f, Map.of("CAT", "\"cat-9\""), 500)).containsExactly(moved);
    }

    @Test
    void aPromotionTakesItsShareOfSlotsInItsOwnOrderAndTheRequestFilterAppliesToTheRest() {
        String promo = filter("promo-category", "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATS)");
        String cheap = filter("promo-cheap", "INCLUDE ItemID WHERE Items.PRICE < 50");
        String user = "user-000003";
        List<String> order = ids(runtime.getRecommendations(b -> b.campaignArn(userCampaign).userId(user).numResults(500)).itemList());
        for (int round = 0; round < 5; round++) { // positions are random: the same rules hold wherever the promoted items land
            List<PredictedItem> items = runtime.getRecommendations(b -> b.campaignArn(userCampaign).userId(user).numResults(10)
                    .filterArn(cheap).promotions(p -> p.name("house").percentPromotedItems(30).filterArn(promo)
                            .filterValues(Map.of("CATS", "\"cat-2\"")))).itemList();
            List<String> promoted = items.stream().filter(i -> "house".equals(i.promotionName())).map(PredictedItem::itemId).toList();
            List<String> regular = items.stream().filter(i -> i.promotionName() == null).map(PredictedItem::itemId).toList();
            assertThat(promoted).isEqualTo(order.stream().filter(column("CATEGORY", c -> c.equals("cat-2"))).limit(3).toList());
            assertThat(regular).isEqualTo(order.stream().filter(id -> !promoted.contains(id))
                    .filter(column("PRICE", p -> Integer.parseInt(p) < 50)).limit(7).toList());
        }
        // Too few items pass the promotion's filter: as many as there are, the rest regular.
        List<PredictedItem> none = runtime.getRecommendations(b -> b.campaignArn(userCampaign).userId(user).numResults(10)
                .promotions(p -> p.name("nothing").percentPromotedItems(50).filterArn(promo).filterValues(Map.of("CATS", "\"no-such\"")))).itemList();
        assertThat(none).hasSize(10).allMatch(i -> i.promotionName() == null);
        assertThat(ids(none)).isEqualTo(order.subList(0, 10));
        for (int bad : List.of(0, 101)) {
            assertThatThrownBy(() -> runtime.getRecommendations(b -> b.campaignArn(userCampaign).userId(user)
                    .promotions(p -> p.name("x").percentPromotedItems(bad).filterArn(promo).filterValues(Map.of("CATS", "\"cat-1\"")))))
                    .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.InvalidInputException.class)
                    .hasMessageContaining("percentPromotedItems");
        }
        assertThatThrownBy(() -> runtime.getRecommendations(b -> b.campaignArn(userCampaign).userId(user)
                .promotions(p -> p.name("x").percentPromotedItems(20).filterArn(promo))))
                .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.InvalidInputException.class)
                .hasMessageContaining("CATS");
    }

    @Test
    void explorationGivesNewItemsTheConfiguredShareOfSlotsWithinTheRequestsFilter() {
        long now = java.time.Instant.now().getEpochSecond();
        List<Item> fresh = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            long created = now - (i == 6 ? 40 : 1) * 86_400L; // new-6 is older than the 30-day cut-off
            fresh.add(Item.builder().itemId("new-" + i).properties("{\"category\": \"cat-0\", \"price\": 1, \"available\": \"true\","
                    + " \"creationTimestamp\": " + created + "}").build());
        }
        events.putItems(b -> b.datasetArn(itemsDataset).items(fresh));
        String explorer = personalize.createCampaign(b -> b.name("f-explore").solutionVersionArn(versions.get("f-user"))
                .campaignConfig(c -> c.itemExplorationConfig(Map.of("explorationWeight", "0.3", "explorationItemAgeCutOff", "30"))))
                .campaignArn();
        assertThat(until(() -> personalize.describeCampaign(b -> b.campaignArn(explorer)).campaign().status())).isEqualTo("ACTIVE");
        String user = "user-000004";
        List<String> order = ids(runtime.getRecommendations(b -> b.campaignArn(userCampaign).userId(user).numResults(500)).itemList());
        Set<String> seenExplored = new HashSet<>();
        for (int round = 0; round < 5; round++) {
            List<PredictedItem> items = runtime.getRecommendations(b -> b.campaignArn(explorer).userId(user).numResults(10)).itemList();
            List<String> explored = items.stream().filter(i -> i.hasReason() && i.reason().contains("Exploration")).map(PredictedItem::itemId).toList();
            assertThat(explored).hasSize(3).allMatch(id -> List.of("new-1", "new-2", "new-3", "new-4", "new-5").contains(id));
            seenExplored.addAll(explored);
            assertThat(items.stream().map(PredictedItem::itemId).filter(id -> !explored.contains(id)).toList()).isEqualTo(order.subList(0, 7));
        }
        assertThat(seenExplored).as("drawn at random among the new items").hasSizeGreaterThan(3);
        // The request's filter holds for explored slots too: the new items are all cat-0.
        String notZero = filter("not-cat-0", "EXCLUDE ItemID WHERE Items.CATEGORY IN (\"cat-0\")");
        List<PredictedItem> filtered = runtime.getRecommendations(b -> b.campaignArn(explorer).userId(user).numResults(10).filterArn(notZero)).itemList();
        assertThat(filtered).hasSize(10).noneMatch(i -> i.hasReason() && i.reason().contains("Exploration"));
        // The campaign without exploration never explores.
        assertThat(runtime.getRecommendations(b -> b.campaignArn(userCampaign).userId(user).numResults(10)).itemList())
                .noneMatch(i -> i.itemId().startsWith("new-"));
        assertThatThrownBy(() -> personalize.createCampaign(b -> b.name("f-explore-bad").solutionVersionArn(versions.get("f-user"))
                .campaignConfig(c -> c.itemExplorationConfig(Map.of("explorationWeight", "1.5")))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("explorationWeight");
    }

    @Test
    void metadataColumnsCarryTheCatalogsValues() {
        List<PredictedItem> items = runtime.getRecommendations(b -> b.campaignArn(userCampaign).userId("user-000002").numResults(20)
                .metadataColumns(Map.of("ITEMS", List.of("CATEGORY", "GENRES")))).itemList();
        assertThat(items).hasSize(20).allSatisfy(i -> {
            Map<String, String> expected = new HashMap<>();
            for (String c : List.of("CATEGORY", "GENRES")) {
                String v = catalog.get(i.itemId()).get(c);
                if (v != null && !v.isEmpty()) expected.put(c, v);
            }
            assertThat(i.metadata()).isEqualTo(expected);
        });
        assertThatThrownBy(() -> runtime.getRecommendations(b -> b.campaignArn(userCampaign).userId(USER).numResults(51)
                .metadataColumns(Map.of("ITEMS", List.of("CATEGORY")))))
                .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.InvalidInputException.class)
                .hasMessageContaining("50");
    }

    @Test
    void ifCurrentUserAppliesAClauseToTheUsersItNamesFromImportsAndPutUsers() {
        String f = filter("minors-cheap", "EXCLUDE ItemID WHERE Items.PRICE >= $LIMIT IF CurrentUser.AGE < 18 AND CurrentUser.MEMBERSHIP IN (\"free\")");
        Map<String, String> limit = Map.of("LIMIT", "50");
        List<String> minor = recommend(USER, f, limit, 50);
        assertThat(minor).hasSize(50).isEqualTo(expected(column("PRICE", p -> Integer.parseInt(p) < 50), 50));
        for (String other : List.of("user-000002", "user-000003", "user-999999")) {
            assertThat(recommend(other, f, limit, 50)).as(other + ": an adult, a user without fields, an unknown user")
                    .isEqualTo(recommend(other, null, Map.of(), 50));
        }
        // PutUsers replaces the user's record: an adult now, so the clause no longer applies to them.
        events.putUsers(b -> b.datasetArn(usersDataset).users(User.builder().userId(USER).properties("{\"age\": 30, \"membership\": \"free\"}").build()));
        assertThat(recommend(USER, f, limit, 50)).isEqualTo(recommend(USER, null, Map.of(), 50));
        assertThatThrownBy(() -> events.putUsers(b -> b.datasetArn(usersDataset).users(User.builder().userId(USER)
                .properties("{\"email\": \"a@b.c\"}").build())))
                .isInstanceOf(software.amazon.awssdk.services.personalizeevents.model.InvalidInputException.class).hasMessageContaining("EMAIL");
        assertThatThrownBy(() -> events.putUsers(b -> b.datasetArn(itemsDataset).users(User.builder().userId(USER).build())))
                .as("PutUsers into the Items dataset").isInstanceOf(software.amazon.awssdk.services.personalizeevents.model.InvalidInputException.class);
        events.putUsers(b -> b.datasetArn(usersDataset).users(User.builder().userId(USER).properties("{\"age\": 16, \"membership\": \"free\"}").build()));
        stop();
        startEngine();
        assertThat(recommend(USER, f, limit, 50)).as("a restart keeps the users").isEqualTo(minor);
        assertThatThrownBy(() -> personalize.createFilter(b -> b.name("unknown-user-field").datasetGroupArn(group)
                .filterExpression("EXCLUDE ItemID WHERE Items.PRICE > 1 IF CurrentUser.COUNTRY IN (\"fr\")")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("COUNTRY").hasMessageContaining("Users schema");
    }

    @Test
    void unsupportedOrInvalidExpressionsAreRefusedWithPersonalizesError() {
        for (String bad : List.of("INCLUDE ItemID WHERE Users.AGE > 30", "EXCLUDE ItemID WHERE Items.CATEGORY IN",
                "INCLUDE ItemID WHERE CurrentUser.AGE > 10", "INCLUDE UserID WHERE Users.AGE > 10", "")) {
            assertThatThrownBy(() -> personalize.createFilter(b -> b.name("bad").datasetGroupArn(group).filterExpression(bad)))
                    .as(bad).isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> personalize.createFilter(b -> b.name("unknown-field").datasetGroupArn(group)
                .filterExpression("INCLUDE ItemID WHERE Items.COLOUR IN (\"red\")")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("COLOUR");
        assertThat(personalize.listFilters(b -> b.datasetGroupArn(group)).filters()).noneMatch(f -> f.name().startsWith("bad"));
    }

    @Test
    void filtersAreListedDescribedAndDeleted() {
        String arn = filter("short-lived", "EXCLUDE ItemID WHERE Items.AVAILABLE IN (\"false\")");
        assertThat(personalize.listFilters(b -> b.datasetGroupArn(group)).filters()).anyMatch(f -> f.filterArn().equals(arn));
        assertThat(personalize.describeFilter(b -> b.filterArn(arn)).filter().filterExpression()).contains("AVAILABLE");
        personalize.deleteFilter(b -> b.filterArn(arn));
        assertThatThrownBy(() -> personalize.describeFilter(b -> b.filterArn(arn))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> recommend(arn, Map.of(), 5))
                .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.ResourceNotFoundException.class);
    }

    @Test
    void aRestartKeepsTheCatalogAndTheFilters() {
        String f = filter("available-only", "EXCLUDE ItemID WHERE Items.AVAILABLE IN (\"false\")");
        List<String> before = recommend(f, Map.of(), 50);
        assertThat(before).hasSize(50).allMatch(column("AVAILABLE", a -> a.equals("true"))::test);
        stop();
        startEngine();
        assertThat(recommend(f, Map.of(), 50)).isEqualTo(before);
    }

    static List<String> ids(List<PredictedItem> items) {
        return items.stream().map(PredictedItem::itemId).toList();
    }
}
