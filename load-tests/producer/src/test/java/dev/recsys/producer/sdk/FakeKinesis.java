package dev.recsys.producer.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** A KinesisClient whose PutRecords answers come from a script; it records every request it gets. */
final class FakeKinesis implements KinesisClient {

    final List<PutRecordsRequest> requests = new ArrayList<>();
    private final Function<PutRecordsRequest, PutRecordsResponse> script;
    boolean closed;

    FakeKinesis(Function<PutRecordsRequest, PutRecordsResponse> script) {
        this.script = script;
    }

    @Override
    public synchronized PutRecordsResponse putRecords(PutRecordsRequest request) {
        requests.add(request);
        return script.apply(request);
    }

    synchronized List<PutRecordsRequest> requests() {
        return List.copyOf(requests);
    }

    static PutRecordsResultEntry ok(int i) {
        return PutRecordsResultEntry.builder().shardId("shardId-000000000000").sequenceNumber(Integer.toString(i)).build();
    }

    static PutRecordsResultEntry error(String code) {
        return PutRecordsResultEntry.builder().errorCode(code).errorMessage(code + " for this record").build();
    }

    /** Answers entry by entry with {@code answer}. */
    static PutRecordsResponse each(PutRecordsRequest request, Function<String, PutRecordsResultEntry> byPartitionKey) {
        List<PutRecordsResultEntry> out = new ArrayList<>();
        request.records().forEach(e -> out.add(byPartitionKey.apply(e.partitionKey())));
        long failed = out.stream().filter(r -> r.errorCode() != null).count();
        return PutRecordsResponse.builder().records(out).failedRecordCount((int) failed).build();
    }

    @Override
    public String serviceName() {
        return "kinesis";
    }

    @Override
    public void close() {
        closed = true;
    }
}
