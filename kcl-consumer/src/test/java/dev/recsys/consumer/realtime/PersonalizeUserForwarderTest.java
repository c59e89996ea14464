package dev.recsys.consumer.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.consumer.record.IngestedRecord.UserCataloged;
import dev.recsys.consumer.record.RecordPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.personalizeevents.model.PutUsersRequest;
import software.amazon.awssdk.services.personalizeevents.model.PutUsersResponse;
import software.amazon.awssdk.services.personalizeevents.model.User;
import software.amazon.awssdk.services.personalizeevents.model.ResourceInUseException;

class PersonalizeUserForwarderTest {

    static final String DATASET = "arn:aws:personalize:us-east-1:000000000000:dataset/recsys/USERS";

    final FakeDatasets dataset = new FakeDatasets();
    final MetricRegistry metrics = new MetricRegistry();

    static UserCataloged applied(CatalogUser user) {
        return new UserCataloged(user, new RecordPosition("1", 0), true);
    }

    long count(String meter) {
        return metrics.meter(meter).getCount();
    }

    @Test
    void callsHoldAtMostTenUsersAndOnlyTheLatestRecordOfEach() {
        List<UserCataloged> records = new ArrayList<>();
        for (int u = 0; u < 21; u++) records.add(applied(CatalogUser.upsert("u" + u, 1_000, "books", "free", 30)));
        records.add(applied(CatalogUser.upsert("u5", 2_000, "books", "premium", 30)));
        records.add(applied(CatalogUser.upsert("u6", 500, "books", "premium", 30)));
        List<List<User>> calls = PersonalizeCatalogForwarder.calls(records, PersonalizeUserForwarder::toUser);
        assertThat(calls).extracting(List::size).containsExactly(10, 10, 1);
        assertThat(calls.stream().flatMap(List::stream).map(User::userId).distinct()).hasSize(21);
        assertThat(calls.get(0).get(5).properties()).as("the later record wins").contains("\"membership\":\"premium\"");
        assertThat(calls.get(0).get(6).properties()).as("the older record loses").contains("\"membership\":\"free\"");
    }

    @Test
    void propertiesAreTheUsersSchemaFieldsInCamelCaseAsStringsAbsentOnesLeftOut() throws Exception {
        TypeReference<Map<String, String>> map = new TypeReference<>() {};
        ObjectMapper json = new ObjectMapper();
        User full = PersonalizeUserForwarder.toUser(applied(CatalogUser.upsert("u1", 1_000, "books", "plus", 34)));
        assertThat(full.userId()).isEqualTo("u1");
        assertThat(json.readValue(full.properties(), map)).containsExactlyInAnyOrderEntriesOf(
                Map.of("segment", "books", "membership", "plus", "age", "34"));
        User bare = PersonalizeUserForwarder.toUser(applied(CatalogUser.upsert("u2", 1_000, null, "free", null)));
        assertThat(json.readValue(bare.properties(), map)).containsExactlyEntriesOf(Map.of("membership", "free"));
    }

    @Test
    void upsertsAreSentAsPutUsersDeletesAreNotAndAFailedCallIsRetriedThenCountedAsDropped() throws Exception {
        PersonalizeUserForwarder f = new PersonalizeUserForwarder(dataset, DATASET, 100, 2, 4, Duration.ofSeconds(5), metrics);
        f.start();
        try {
            f.onUsersStored(List.of(applied(CatalogUser.delete("u0", 1_000)), applied(CatalogUser.upsert("u1", 1_000, "books", null, null))));
            FakeDatasets.Call<PutUsersRequest, PutUsersResponse> call = FakeDatasets.next(dataset.users);
            assertThat(call.request().datasetArn()).isEqualTo(DATASET);
            assertThat(call.request().users()).extracting(User::userId).as("no delete in PutUsers").containsExactly("u1");
            call.answer().complete(PutUsersResponse.builder().build());
            await().atMost(Duration.ofSeconds(5)).until(() -> count("personalize.usersSent") == 1);

            f.onUsersStored(List.of(applied(CatalogUser.upsert("u2", 1_000, null, "plus", 40))));
            FakeDatasets.next(dataset.users).answer().completeExceptionally(ResourceInUseException.builder().message("dataset updating").build());
            FakeDatasets.Call<PutUsersRequest, PutUsersResponse> retry = FakeDatasets.next(dataset.users);
            assertThat(retry).as("retried once").isNotNull();
            assertThat(retry.request().users()).extracting(User::userId).containsExactly("u2");
            retry.answer().completeExceptionally(ResourceInUseException.builder().message("dataset updating").build());
            await().atMost(Duration.ofSeconds(5)).until(() -> count("personalize.usersDropped") == 1);
            assertThat(count("personalize.failedUserCalls")).isEqualTo(2);
            assertThat(dataset.users.poll(300, TimeUnit.MILLISECONDS)).as("no third attempt").isNull();
            assertThat(dataset.items).as("users never go to the Items dataset").isEmpty();
            assertThat(count("personalize.itemsSent") + count("personalize.itemsDropped")).isZero();
        } finally {
            f.close();
        }
    }

    @Test
    void whatTheBoundedQueueCannotHoldIsCountedAsDroppedSoEveryUpsertIsSentOrCounted() throws Exception {
        // One call in flight, one queued user: while the first call waits, most of the later users cannot be held.
        PersonalizeUserForwarder f = new PersonalizeUserForwarder(dataset, DATASET, 1, 1, 1, Duration.ofSeconds(5), metrics);
        f.start();
        try {
            f.onUsersStored(List.of(applied(CatalogUser.upsert("u0", 1_000, "books", null, null))));
            FakeDatasets.Call<PutUsersRequest, PutUsersResponse> first = FakeDatasets.next(dataset.users);
            assertThat(first).isNotNull();
            int later = 20;
            for (int u = 1; u <= later; u++) f.onUsersStored(List.of(applied(CatalogUser.upsert("u" + u, 1_000, "books", null, null))));
            assertThat(count("personalize.usersDropped")).as("the queue holds one user, the sender one batch").isGreaterThanOrEqualTo(later - 2);
            first.answer().complete(PutUsersResponse.builder().build());
            for (FakeDatasets.Call<PutUsersRequest, PutUsersResponse> c; (c = dataset.users.poll(1, TimeUnit.SECONDS)) != null; ) {
                c.answer().complete(PutUsersResponse.builder().build());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> count("personalize.usersSent") + count("personalize.usersDropped") == later + 1);
            assertThat(count("personalize.usersSent")).isBetween(1L, 3L);
        } finally {
            f.close();
        }
    }
}
