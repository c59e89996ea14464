package dev.recsys.consumer.realtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.personalizeevents.PersonalizeEventsAsyncClient;
import software.amazon.awssdk.services.personalizeevents.model.PutItemsRequest;
import software.amazon.awssdk.services.personalizeevents.model.PutItemsResponse;
import software.amazon.awssdk.services.personalizeevents.model.PutUsersRequest;
import software.amazon.awssdk.services.personalizeevents.model.PutUsersResponse;

/** The Items and Users datasets, whose every call waits for the test to answer it. */
final class FakeDatasets implements PersonalizeEventsAsyncClient {

    record Call<Q, A>(Q request, CompletableFuture<A> answer) {}

    final LinkedBlockingQueue<Call<PutItemsRequest, PutItemsResponse>> items = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Call<PutUsersRequest, PutUsersResponse>> users = new LinkedBlockingQueue<>();

    @Override
    public CompletableFuture<PutItemsResponse> putItems(PutItemsRequest request) {
        return waiting(items, request);
    }

    @Override
    public CompletableFuture<PutUsersResponse> putUsers(PutUsersRequest request) {
        return waiting(users, request);
    }

    /** The next call, or null after 5 s without one. */
    static <Q, A> Call<Q, A> next(LinkedBlockingQueue<Call<Q, A>> calls) throws InterruptedException {
        return calls.poll(5, TimeUnit.SECONDS);
    }

    private static <Q, A> CompletableFuture<A> waiting(LinkedBlockingQueue<Call<Q, A>> calls, Q request) {
        CompletableFuture<A> answer = new CompletableFuture<>();
        calls.add(new Call<>(request, answer));
        return answer;
    }

    @Override
    public String serviceName() {
        return "personalize-events";
    }

    @Override
    public void close() {}
}
