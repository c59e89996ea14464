package dev.recsys.personalize.engine.recipes;

import dev.recsys.personalize.engine.data.UserHistories;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A versioned binary form of a {@link TrainedModel}: the training histories plus the scorer's arrays. */
public final class ModelCodec {

    private static final int MAGIC = 0x52534D31; // "RSM1"
    private static final byte POPULARITY = 0, EASE = 1, SIMS = 2, TRENDING = 3;

    private ModelCodec() {}

    public static void write(TrainedModel model, OutputStream target) throws IOException {
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(target, 1 << 16));
        out.writeInt(MAGIC);
        out.writeUTF(model.recipe().name());
        Hyperparameters hp = model.hyperparameters();
        out.writeDouble(hp.easeLambda());
        out.writeInt(hp.maxItems());
        out.writeInt(hp.simsNeighbors());
        out.writeInt(hp.simsMaxHistory());
        UserHistories d = model.data();
        writeStrings(out, d.userIdArray());
        writeStrings(out, d.itemIdArray());
        writeInts(out, d.offsetArray());
        writeInts(out, d.itemArray());
        writeFloats(out, d.eventCountArray());
        ItemScorer scorer = model.scorer();
        if (scorer instanceof EaseScorer e) {
            out.writeByte(EASE);
            writeInts(out, e.columns());
            writeFloats(out, e.weights());
        } else if (scorer instanceof SimsScorer s) {
            out.writeByte(SIMS);
            writeInts(out, s.offsets());
            writeInts(out, s.neighbours());
            writeFloats(out, s.similarities());
        } else if (scorer instanceof TrendingScorer t) {
            out.writeByte(TRENDING);
            writeFloats(out, t.growth());
        } else {
            out.writeByte(POPULARITY);
        }
        out.flush();
    }

    public static TrainedModel read(InputStream source) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(source, 1 << 16));
        if (in.readInt() != MAGIC) throw new IOException("not a model file (bad magic number)");
        Recipe recipe = Recipe.valueOf(in.readUTF());
        Hyperparameters hp = new Hyperparameters(in.readDouble(), in.readInt(), in.readInt(), in.readInt());
        UserHistories data = new UserHistories(readStrings(in), readStrings(in), readInts(in), readInts(in), readFloats(in));
        byte kind = in.readByte();
        ItemScorer scorer = switch (kind) {
            case POPULARITY -> new PopularityScorer(data.eventCountArray());
            case EASE -> new EaseScorer(data.itemCount(), readInts(in), readFloats(in));
            case SIMS -> new SimsScorer(readInts(in), readInts(in), readFloats(in));
            case TRENDING -> new TrendingScorer(readFloats(in));
            default -> throw new IOException("unknown scorer kind " + kind);
        };
        return new TrainedModel(recipe, hp, data, scorer);
    }

    static void writeStrings(DataOutputStream out, String[] values) throws IOException {
        out.writeInt(values.length);
        for (String v : values) out.writeUTF(v);
    }

    static String[] readStrings(DataInputStream in) throws IOException {
        String[] v = new String[in.readInt()];
        for (int i = 0; i < v.length; i++) v[i] = in.readUTF();
        return v;
    }

    static void writeInts(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) out.writeInt(v);
    }

    static int[] readInts(DataInputStream in) throws IOException {
        int[] v = new int[in.readInt()];
        for (int i = 0; i < v.length; i++) v[i] = in.readInt();
        return v;
    }

    static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) out.writeFloat(v);
    }

    static float[] readFloats(DataInputStream in) throws IOException {
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) v[i] = in.readFloat();
        return v;
    }
}
