package dev.recsys.personalize.engine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.personalize.engine.config.EngineConfig;
import dev.recsys.personalize.engine.storage.StateFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's resources, kept as the JSON their Describe operations return, one table per
 * {@link ResourceKind} in one document saved to state.json on every change. This object is also the
 * control plane's one lock: callers hold it for every read or change.
 */
final class ResourceStore {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceStore.class);

    private final EngineConfig config;
    private final ObjectMapper json;
    private final StateFile stateFile;
    private final ObjectNode state;

    ResourceStore(EngineConfig config, ObjectMapper json) throws IOException {
        this.config = config;
        this.json = json;
        this.stateFile = new StateFile(config.stateDir(), json);
        ObjectNode loaded = stateFile.load();
        this.state = loaded != null ? loaded : json.createObjectNode();
        for (ResourceKind k : ResourceKind.values()) if (!state.has(k.stateKey())) state.putObject(k.stateKey());
        if (!state.has("metrics")) state.putObject("metrics");
    }

    ObjectMapper json() {
        return json;
    }

    EngineConfig config() {
        return config;
    }

    /** Solution version metrics by solution version ARN (GetSolutionMetrics). */
    ObjectNode metrics() {
        return (ObjectNode) state.get("metrics");
    }

    String arn(ResourceKind kind, String name) {
        return "arn:aws:personalize:" + config.region() + ":" + config.accountId() + ":" + kind.arnType() + "/" + name;
    }

    /** Adds a resource in CREATE PENDING; the caller adds its own fields, persists and starts its lifecycle. */
    ObjectNode create(ResourceKind kind, String arn, String name) {
        ObjectNode n = json.createObjectNode();
        if (name != null) n.put("name", name);
        n.put(kind.arnField(), arn).put("status", Lifecycle.PENDING).put("creationDateTime", now()).put("lastUpdatedDateTime", now());
        table(kind).set(arn, n);
        return n;
    }

    /** Adds a resource that has no lifecycle (schemas are usable at once). */
    void put(ResourceKind kind, String arn, ObjectNode resource) {
        table(kind).set(arn, resource);
    }

    ObjectNode find(ResourceKind kind, String arn) {
        JsonNode n = table(kind).get(arn);
        return n instanceof ObjectNode o ? o : null;
    }

    /** A resource the request names, or ResourceNotFound. */
    ObjectNode get(ResourceKind kind, String arn) {
        ObjectNode n = find(kind, arn);
        if (n == null) throw ServiceException.notFound("Resource " + arn + " does not exist.");
        return n;
    }

    void requireAbsent(ResourceKind kind, String arn) {
        if (find(kind, arn) != null) {
            throw new ServiceException(ErrorCode.ResourceAlreadyExistsException, "Resource " + arn + " already exists.");
        }
    }

    /** A snapshot of the kind's resources, so callers may change the table while they go through it. */
    Stream<ObjectNode> stream(ResourceKind kind) {
        List<ObjectNode> out = new ArrayList<>();
        for (Iterator<JsonNode> it = table(kind).elements(); it.hasNext(); ) out.add((ObjectNode) it.next());
        return out.stream();
    }

    /** The Describe operation: the resource the request's ARN field names, as stored. */
    ObjectNode describe(ResourceKind kind, ObjectNode r) {
        return json.createObjectNode().set(kind.singular(), get(kind, Requests.required(r, kind.arnField())).deepCopy());
    }

    /** One page of summaries, newest first as Personalize lists; the token is the offset of the next page. */
    ObjectNode list(ResourceKind kind, ObjectNode r, Predicate<ObjectNode> keep, String... summaryFields) {
        int max = r.path("maxResults").asInt(100);
        if (max < 1 || max > 100) throw ServiceException.invalid("maxResults must be in [1, 100]");
        int offset = 0;
        if (r.hasNonNull("nextToken")) {
            try {
                offset = Integer.parseInt(r.get("nextToken").asText());
            } catch (NumberFormatException ex) {
                throw ServiceException.invalid("Invalid nextToken");
            }
        }
        List<ObjectNode> all = stream(kind).filter(keep)
                .sorted(Comparator.comparingDouble((ObjectNode n) -> n.path("creationDateTime").asDouble()).reversed())
                .toList();
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray(kind.listField());
        for (int i = offset; i < Math.min(all.size(), offset + max); i++) items.add(pick(all.get(i), summaryFields));
        if (offset + max < all.size()) out.put("nextToken", String.valueOf(offset + max));
        return out;
    }

    ObjectNode delete(ResourceKind kind, ObjectNode r) {
        String arn = Requests.required(r, kind.arnField());
        get(kind, arn);
        table(kind).remove(arn);
        persist();
        return json.createObjectNode();
    }

    ObjectNode pick(JsonNode from, String... fields) {
        ObjectNode out = json.createObjectNode();
        for (String f : fields) if (from.has(f)) out.set(f, from.get(f).deepCopy());
        return out;
    }

    /** Saves the whole document; a failed save is logged, the in-memory state stays authoritative. */
    void persist() {
        try {
            stateFile.save(state);
        } catch (IOException e) {
            LOG.error("cannot save engine state to {}", config.stateDir(), e);
        }
    }

    static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private ObjectNode table(ResourceKind kind) {
        return (ObjectNode) state.get(kind.stateKey());
    }
}
