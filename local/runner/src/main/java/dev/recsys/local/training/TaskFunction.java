package dev.recsys.local.training;

import com.fasterxml.jackson.databind.JsonNode;

/** What a Task state's resource does locally: state input in, result out; an exception is a task error. */
@FunctionalInterface
public interface TaskFunction {

    JsonNode invoke(JsonNode input) throws Exception;
}
