package dev.recsys.personalize.engine.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.filter.FilterItem;
import dev.recsys.personalize.engine.storage.JsonLines;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Items of each dataset group, as imports (FULL replaces, INCREMENTAL merges) and PutItems left them:
 * what filters and {@code metadataColumns} read. The engine keeps its Users the same way (a second instance, fed by
 * Users imports and PutUsers), which {@code IF CurrentUser} conditions read. One JSON-lines file per group, later lines winning, so a
 * restart keeps the catalog; a FULL import rewrites the file.
 */
public final class ItemCatalogs {

    private final Path dir;
    private final ObjectMapper json;
    private final Map<String, Map<String, CatalogItem>> byGroup = new ConcurrentHashMap<>();

    public ItemCatalogs(Path dir, ObjectMapper json) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.json = json;
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) load(f);
        }
    }

    /** The item, or null when the group's catalog does not have it. */
    public CatalogItem get(String datasetGroupArn, String itemId) {
        Map<String, CatalogItem> items = byGroup.get(datasetGroupArn);
        return items == null ? null : items.get(itemId);
    }

    /** The filter's view of the item; {@link FilterItem#EMPTY} when unknown. */
    public FilterItem filterView(String datasetGroupArn, String itemId) {
        CatalogItem item = get(datasetGroupArn, itemId);
        return item == null ? FilterItem.EMPTY : item.filter();
    }

    /** Every item of the group's catalog (a live view: PutItems may add to it while the caller reads). */
    public Collection<CatalogItem> items(String datasetGroupArn) {
        Map<String, CatalogItem> items = byGroup.get(datasetGroupArn);
        return items == null ? List.of() : items.values();
    }

    public int size(String datasetGroupArn) {
        Map<String, CatalogItem> items = byGroup.get(datasetGroupArn);
        return items == null ? 0 : items.size();
    }

    /** A FULL import: the group's catalog becomes exactly {@code items}. */
    public synchronized void replace(String datasetGroupArn, Collection<CatalogItem> items) {
        Path file = file(datasetGroupArn);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Map<String, CatalogItem> next = new ConcurrentHashMap<>();
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            out.write(json.createObjectNode().put("group", datasetGroupArn).toString());
            out.newLine();
            for (CatalogItem item : items) {
                write(out, item);
                next.put(item.itemId(), item);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the catalog of " + datasetGroupArn, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the catalog of " + datasetGroupArn, e);
        }
        byGroup.put(datasetGroupArn, next);
    }

    /** An INCREMENTAL import or PutItems: these items are added or replaced, durable before returning. */
    public synchronized void upsert(String datasetGroupArn, Collection<CatalogItem> items) {
        Path file = file(datasetGroupArn);
        boolean fresh = !Files.exists(file);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            if (fresh) {
                out.write(json.createObjectNode().put("group", datasetGroupArn).toString());
                out.newLine();
            }
            for (CatalogItem item : items) write(out, item);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the catalog of " + datasetGroupArn, e);
        }
        Map<String, CatalogItem> target = byGroup.computeIfAbsent(datasetGroupArn, g -> new ConcurrentHashMap<>());
        for (CatalogItem item : items) target.put(item.itemId(), item);
    }

    private void write(BufferedWriter out, CatalogItem item) throws IOException {
        ObjectNode line = json.createObjectNode().put("id", item.itemId());
        item.columns().forEach(line.putObject("c")::put);
        ObjectNode cat = line.putObject("k");
        item.filter().categorical().forEach((k, v) -> v.forEach(cat.withArray(k)::add));
        item.filter().numeric().forEach(line.putObject("n")::put);
        out.write(line.toString());
        out.newLine();
    }

    private void load(Path file) throws IOException {
        String[] group = {null};
        Map<String, CatalogItem> items = new ConcurrentHashMap<>();
        JsonLines.replay(file, json, n -> {
            if (group[0] == null) {
                group[0] = n.path("group").asText(); // the first line names the group
                return;
            }
            Map<String, String> columns = new LinkedHashMap<>();
            n.path("c").fields().forEachRemaining(e -> columns.put(e.getKey(), e.getValue().asText()));
            Map<String, List<String>> categorical = new LinkedHashMap<>();
            n.path("k").fields().forEachRemaining(e -> {
                List<String> values = new ArrayList<>();
                e.getValue().forEach(v -> values.add(v.asText()));
                categorical.put(e.getKey(), values);
            });
            Map<String, Double> numeric = new LinkedHashMap<>();
            n.path("n").fields().forEachRemaining(e -> numeric.put(e.getKey(), e.getValue().asDouble()));
            String id = n.path("id").asText();
            items.put(id, new CatalogItem(id, columns, new FilterItem(categorical, numeric)));
        });
        if (group[0] != null) byGroup.put(group[0], items);
    }

    private Path file(String datasetGroupArn) {
        return dir.resolve(HexFormat.of().formatHex(datasetGroupArn.getBytes(StandardCharsets.UTF_8)) + ".jsonl");
    }
}
