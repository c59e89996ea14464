package dev.recsys.personalize.engine.storage;

import dev.recsys.common.keys.S3Layout;
import dev.recsys.personalize.engine.recipes.ModelCodec;
import dev.recsys.personalize.engine.recipes.TrainedModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trained models in S3 under {@code models/<solution-version-id>/model.bin}, with a small LRU of
 * loaded ones so serving never touches S3 on the hot path and a restart reloads on first use.
 */
public final class ModelRepository {

    private final ObjectStore store;
    private final String bucket;
    private final Map<String, TrainedModel> cache;

    public ModelRepository(ObjectStore store, String bucket, int cachedModels) {
        this.store = store;
        this.bucket = bucket;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TrainedModel> eldest) {
                return size() > cachedModels;
            }
        };
    }

    public static String key(String solutionVersionId) {
        return S3Layout.MODELS_PREFIX + solutionVersionId + "/model.bin";
    }

    public void save(String solutionVersionId, TrainedModel model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        ModelCodec.write(model, bytes);
        store.put(bucket, key(solutionVersionId), bytes.toByteArray());
        synchronized (cache) {
            cache.put(solutionVersionId, model);
        }
    }

    /** The model, from memory or S3; throws when it was never saved. */
    public TrainedModel get(String solutionVersionId) {
        synchronized (cache) {
            TrainedModel m = cache.get(solutionVersionId);
            if (m != null) return m;
        }
        // Loading happens outside the lock: two racing loads of one model are harmless.
        try (InputStream in = store.getOrNull(bucket, key(solutionVersionId))) {
            if (in == null) throw new IllegalStateException("no model artefact at s3://" + bucket + "/" + key(solutionVersionId));
            TrainedModel m = ModelCodec.read(in);
            synchronized (cache) {
                cache.put(solutionVersionId, m);
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + solutionVersionId, e);
        }
    }
}
