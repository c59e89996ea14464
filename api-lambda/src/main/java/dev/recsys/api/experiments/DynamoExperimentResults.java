package dev.recsys.api.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.api.core.ExperimentResults;
import dev.recsys.common.experiment.ArmResult;
import dev.recsys.common.keys.ExperimentKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The {@code experiments} table: a Query for one experiment, a Scan for all (a handful of rows per experiment). */
public final class DynamoExperimentResults implements ExperimentResults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoExperimentResults(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<ArmResult> all() {
        List<ArmResult> out = new ArrayList<>();
        dynamo.scanPaginator(b -> b.tableName(table)).items().forEach(i -> out.add(parse(i)));
        return out;
    }

    @Override
    public List<ArmResult> of(String experiment) {
        List<ArmResult> out = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression("#e = :e")
                        .expressionAttributeNames(Map.of("#e", ExperimentKeys.EXPERIMENT))
                        .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(experiment))))
                .items().forEach(i -> out.add(parse(i)));
        return out;
    }

    private static ArmResult parse(Map<String, AttributeValue> item) {
        try {
            return JSON.readValue(item.get(ExperimentKeys.RESULT).s(), ArmResult.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable experiment result " + item.get(ExperimentKeys.ARM), e);
        }
    }
}
