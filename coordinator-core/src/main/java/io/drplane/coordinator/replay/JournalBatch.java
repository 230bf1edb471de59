package io.drplane.coordinator.replay;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One journal record per input partition per transaction: the inputs the coordinator took from that partition, in
 * the order it took them, each with where it came from. One record instead of one per input, because sending a
 * record costs the coordinator's loop far more than its bytes. Layout: a version byte (1), the entry count, then per
 * entry the source topic (UTF), offset, key and value (length-prefixed; key length -1 for none).
 */
public final class JournalBatch {

    /** Header naming the journal record's format. */
    public static final String FORMAT_HEADER = "dr.journal.format";
    public static final String FORMAT = "batch-1";
    private static final byte VERSION = 1;

    public record Entry(String topic, long offset, String key, byte[] value) {
    }

    private JournalBatch() {
    }

    public static byte[] encode(List<Entry> entries) {
        int size = 5;
        for (Entry e : entries) {
            size += e.value().length + 64;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(entries.size());
            for (Entry e : entries) {
                out.writeUTF(e.topic());
                out.writeLong(e.offset());
                if (e.key() == null) {
                    out.writeInt(-1);
                } else {
                    byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
                    out.writeInt(key.length);
                    out.write(key);
                }
                out.writeInt(e.value().length);
                out.write(e.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static List<Entry> decode(byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("journal batch version " + version + " is not known (expected " + VERSION + ")");
            }
            int count = in.readInt();
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = in.readUTF();
                long offset = in.readLong();
                int keyLength = in.readInt();
                String key = null;
                if (keyLength >= 0) {
                    byte[] keyBytes = in.readNBytes(keyLength);
                    key = new String(keyBytes, StandardCharsets.UTF_8);
                }
                byte[] value = in.readNBytes(in.readInt());
                entries.add(new Entry(topic, offset, key, value));
            }
            return entries;
        } catch (IOException e) {
            throw new IllegalStateException("an unreadable journal batch: " + e.getMessage(), e);
        }
    }
}
