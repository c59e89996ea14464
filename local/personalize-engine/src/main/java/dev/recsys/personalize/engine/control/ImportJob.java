package dev.recsys.personalize.engine.control;

import dev.recsys.personalize.engine.catalog.CatalogItem;
import dev.recsys.personalize.engine.catalog.ItemCatalogs;
import dev.recsys.personalize.engine.catalog.ItemField;
import dev.recsys.personalize.engine.data.Interactions;
import dev.recsys.personalize.engine.storage.DatasetCsv;
import dev.recsys.personalize.engine.storage.DatasetSnapshots;
import dev.recsys.personalize.engine.storage.DatasetValidationException;
import dev.recsys.personalize.engine.storage.ObjectStore;
import dev.recsys.personalize.engine.storage.ObjectStore.S3Location;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The work of a dataset import job: read and check the CSV from S3, keep a snapshot (interactions) or the catalog (items, users). */
final class ImportJob {

    /** A reason for CREATE FAILED that the caller should see verbatim. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Where an Items or Users import lands: the group's catalog of that kind, read through the dataset's schema.
     *
     * @param idColumn ITEM_ID or USER_ID
     * @param noun     what the summary counts ("items", "users")
     */
    record CatalogTarget(ItemCatalogs catalogs, String datasetGroupArn, Map<String, Boolean> fields, Map<String, ItemField> itemFields,
                         String idColumn, String noun) {}

    private ImportJob() {}

    /** FULL: the catalog becomes the file's items; INCREMENTAL: they are merged in (later rows of an item win). */
    private static String importCatalog(ObjectStore store, List<S3Location> objects, CatalogTarget target, boolean full)
            throws DatasetValidationException, IOException {
        Map<String, CatalogItem> items = new LinkedHashMap<>();
        for (S3Location o : objects) {
            try (BufferedReader in = store.openText(o)) {
                DatasetCsv.readRows(o.toString(), in, target.fields(), target.idColumn(), (where, id, columns) -> {
                    try {
                        items.put(id, CatalogItem.of(id, columns, target.itemFields()));
                    } catch (IllegalArgumentException e) {
                        throw new DatasetValidationException(where + ": " + e.getMessage());
                    }
                });
            }
        }
        if (full) {
            target.catalogs().replace(target.datasetGroupArn(), items.values());
        } else {
            target.catalogs().upsert(target.datasetGroupArn(), items.values());
        }
        return items.size() + " " + target.noun() + " (now " + target.catalogs().size(target.datasetGroupArn()) + ")";
    }

    /**
     * @param checkMinimums FULL imports must hold Personalize's minimum on their own
     * @return a one-line summary of what was imported
     */
    static String run(ObjectStore store, DatasetSnapshots snapshots, CatalogTarget catalog, String jobId, String datasetType,
                      Map<String, Boolean> fields, String dataLocation, boolean checkMinimums,
                      int minInteractions, int minUsers) throws Failure, IOException {
        S3Location location;
        try {
            location = S3Location.parse(dataLocation);
        } catch (IllegalArgumentException e) {
            throw new Failure("Invalid data location: " + e.getMessage());
        }
        List<S3Location> objects;
        try {
            objects = store.csvObjects(location);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new Failure("Cannot list " + location + ": " + e.getMessage());
        }
        if (objects.isEmpty()) throw new Failure("No CSV file found at " + location);
        try {
            if (catalog != null) return importCatalog(store, objects, catalog, checkMinimums);
            Interactions.Builder builder = Interactions.builder();
            for (S3Location o : objects) {
                try (BufferedReader in = store.openText(o)) {
                    DatasetCsv.readInteractions(o.toString(), in, fields, builder);
                }
            }
            Interactions data = builder.build();
            int users = data.distinctUsers();
            if (checkMinimums && (data.size() < minInteractions || users < minUsers)) {
                throw new Failure("Insufficient data: an interactions dataset needs at least " + minInteractions
                        + " interactions from at least " + minUsers + " users; " + location + " has "
                        + data.size() + " interactions from " + users + " users");
            }
            snapshots.save(jobId, data);
            return data.size() + " interactions from " + users + " users";
        } catch (DatasetValidationException e) {
            throw new Failure("Invalid data: " + e.getMessage());
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new Failure("Cannot read " + location + ": " + e.getMessage());
        }
    }
}
