package dev.recsys.personalize.engine.storage;

import dev.recsys.personalize.engine.data.Interactions;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What an import job took in, kept in the state directory: Personalize copies imported data, so a
 * later change to the S3 source must not change what the next training sees.
 */
public final class DatasetSnapshots {

    private static final int MAGIC = 0x52534431; // "RSD1"
    private final Path dir;

    public DatasetSnapshots(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public void save(String importJobId, Interactions data) throws IOException {
        Path tmp = dir.resolve(importJobId + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(data.userDictionarySize());
            for (int i = 0; i < data.userDictionarySize(); i++) out.writeUTF(data.userId(i));
            out.writeInt(data.itemDictionarySize());
            for (int i = 0; i < data.itemDictionarySize(); i++) out.writeUTF(data.itemId(i));
            out.writeInt(data.eventTypeCount());
            for (int i = 0; i < data.eventTypeCount(); i++) out.writeUTF(data.eventTypeName(i));
            out.writeInt(data.size());
            for (int r = 0; r < data.size(); r++) {
                out.writeInt(data.user(r));
                out.writeInt(data.item(r));
                out.writeInt(data.eventTypeIndex(r));
                out.writeLong(data.timestamp(r));
                out.writeFloat(data.value(r));
            }
        }
        Files.move(tmp, file(importJobId), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Appends the snapshot's rows to {@code out}. */
    public void loadInto(String importJobId, Interactions.Builder out) throws IOException {
        try (InputStream is = Files.newInputStream(file(importJobId));
             DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
            if (in.readInt() != MAGIC) throw new IOException("not a dataset snapshot: " + file(importJobId));
            String[] users = strings(in), items = strings(in), types = strings(in);
            int rows = in.readInt();
            for (int r = 0; r < rows; r++) {
                int u = in.readInt(), i = in.readInt(), t = in.readInt();
                long ts = in.readLong();
                out.add(users[u], items[i], ts, types[t], in.readFloat());
            }
        }
    }

    private Path file(String importJobId) {
        return dir.resolve(importJobId + ".bin");
    }

    private static String[] strings(DataInputStream in) throws IOException {
        String[] s = new String[in.readInt()];
        for (int i = 0; i < s.length; i++) s[i] = in.readUTF();
        return s;
    }
}
