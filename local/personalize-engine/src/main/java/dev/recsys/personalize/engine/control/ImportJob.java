package dev.recsys.personalize.engine.control;

import dev.recsys.personalize.engine.data.Interactions;
import dev.recsys.personalize.engine.storage.DatasetCsv;
import dev.recsys.personalize.engine.storage.DatasetSnapshots;
import dev.recsys.personalize.engine.storage.DatasetValidationException;
import dev.recsys.personalize.engine.storage.ObjectStore;
import dev.recsys.personalize.engine.storage.ObjectStore.S3Location;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The work of a dataset import job: read and check the CSV from S3, keep a snapshot. */
final class ImportJob {

    /** A reason for CREATE FAILED that the caller should see verbatim. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private ImportJob() {}

    /**
     * @param checkMinimums FULL imports must hold Personalize's minimum on their own
     * @return a one-line summary of what was imported
     */
    static String run(ObjectStore store, DatasetSnapshots snapshots, String jobId, String datasetType,
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
            if (!datasetType.equalsIgnoreCase("Interactions")) {
                String idColumn = datasetType.equalsIgnoreCase("Items") ? "ITEM_ID" : "USER_ID";
                long rows = 0;
                for (S3Location o : objects) {
                    try (BufferedReader in = store.openText(o)) {
                        rows += DatasetCsv.countRows(o.toString(), in, fields, idColumn);
                    }
                }
                return rows + " rows";
            }
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
