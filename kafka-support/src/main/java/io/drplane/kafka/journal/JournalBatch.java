package io.drplane.kafka.journal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One journal record per input partition per transaction (a few, for a large one): the inputs the coordinator took
 * from that partition, in the order it took them, each with where it came from. One record instead of one per input,
 * because sending a record costs the coordinator's loop far more than its bytes. Layout: a version byte (2), the entry count, then per
 * entry the source topic (UTF), offset, the coordinator's clock when the input arrived (epoch millis), key and value
 * (length-prefixed; key length -1 for none). Version 1 had no arrival time; it is still read, as unknown (-1).
 */
public final class JournalBatch {

    /** Header naming the journal record's format. */
    public static final String FORMAT_HEADER = "dr.journal.format";

    public static final String FORMAT = "batch-2";
    private static final byte VERSION = 2;
    private static final byte VERSION_WITHOUT_ARRIVAL = 1;
    /** The arrival time of an entry written before arrival times were journaled. */
    public static final long ARRIVAL_UNKNOWN = -1;
    /** The version byte and the entry count. */
    private static final int HEADER_BYTES = 1 + Integer.BYTES;

    /**
     * One journaled input.
     *
     * @param arrivedAtMillis the coordinator's clock when it took the input in, the decider's time for it; {@link
     *                        #ARRIVAL_UNKNOWN} in a journal written before it was recorded
     */
    public record Entry(String topic, long offset, long arrivedAtMillis, String key, byte[] value) {

        /** When the coordinator took the input in; {@code inputTime} for an entry written before that was journaled. */
        public Instant arrivedAt(Instant inputTime) {
            return arrivedAtMillis == ARRIVAL_UNKNOWN ? inputTime : Instant.ofEpochMilli(arrivedAtMillis);
        }
    }

    private JournalBatch() {}

    /** Writes straight into an array of the exact size: at 10,000 inputs a second, a growing stream's copies add up. */
    public static byte[] encode(List<Entry> entries) {
        byte[][] keys = keysOf(entries);
        int size = HEADER_BYTES;
        for (int i = 0; i < entries.size(); i++) {
            size += entryBytes(entries.get(i), keys[i]);
        }
        return encode(entries, keys, 0, entries.size(), size);
    }

    /**
     * The entries, in order, as records of at most {@code maxRecordBytes} each; an entry bigger than that on its own
     * goes alone. A transaction can take thousands of inputs from one partition after a backlog, and one record for
     * all of them would be refused by the producer (max.request.size) and fail the transaction every time it is tried.
     */
    public static List<byte[]> encode(List<Entry> entries, int maxRecordBytes) {
        byte[][] keys = keysOf(entries);
        List<byte[]> records = new ArrayList<>();
        int from = 0;
        int size = HEADER_BYTES;
        for (int i = 0; i < entries.size(); i++) {
            int entry = entryBytes(entries.get(i), keys[i]);
            if (i > from && size + entry > maxRecordBytes) {
                records.add(encode(entries, keys, from, i, size));
                from = i;
                size = HEADER_BYTES;
            }
            size += entry;
        }
        if (from < entries.size()) {
            records.add(encode(entries, keys, from, entries.size(), size));
        }
        return records;
    }

    /** Entries {@code [from, to)} as one record of {@code size} bytes, their keys already encoded. */
    private static byte[] encode(List<Entry> entries, byte[][] keys, int from, int to, int size) {
        ByteBuffer out = ByteBuffer.allocate(size); // big-endian, as DataOutputStream writes and decode reads
        out.put(VERSION);
        out.putInt(to - from);
        for (int i = from; i < to; i++) {
            Entry e = entries.get(i);
            out.putShort((short) e.topic().length());
            out.put(modifiedUtf8(e.topic()));
            out.putLong(e.offset());
            out.putLong(e.arrivedAtMillis());
            if (keys[i] == null) {
                out.putInt(-1);
            } else {
                out.putInt(keys[i].length);
                out.put(keys[i]);
            }
            out.putInt(e.value().length);
            out.put(e.value());
        }
        return out.array();
    }

    private static byte[][] keysOf(List<Entry> entries) {
        byte[][] keys = new byte[entries.size()][];
        for (int i = 0; i < entries.size(); i++) {
            String key = entries.get(i).key();
            keys[i] = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        }
        return keys;
    }

    private static int entryBytes(Entry e, byte[] key) {
        return Short.BYTES
                + e.topic().length()
                + Long.BYTES
                + Long.BYTES
                + Integer.BYTES
                + (key == null ? 0 : key.length)
                + Integer.BYTES
                + e.value().length;
    }

    /**
     * The topic as {@link DataInputStream#readUTF()} reads it. Kafka topic names are ASCII letters, digits, '.', '_'
     * and '-', for which modified UTF-8 is plain ASCII; any other name is refused rather than written so that decode
     * would misread it.
     */
    private static byte[] modifiedUtf8(String topic) {
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == 0 || c > 0x7F) {
                throw new IllegalArgumentException("topic name '" + topic + "' is not a Kafka topic name (ASCII only)");
            }
        }
        if (topic.length() > 0xFFFF) {
            throw new IllegalArgumentException(
                    "a topic name of " + topic.length() + " characters is too long for a journal entry");
        }
        return topic.getBytes(StandardCharsets.US_ASCII);
    }

    public static List<Entry> decode(byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            byte version = in.readByte();
            if (version != VERSION && version != VERSION_WITHOUT_ARRIVAL) {
                throw new IllegalStateException("journal batch version " + version + " is not known (expected "
                        + VERSION_WITHOUT_ARRIVAL + " or " + VERSION + ")");
            }
            int count = in.readInt();
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = in.readUTF();
                long offset = in.readLong();
                long arrivedAt = version == VERSION_WITHOUT_ARRIVAL ? ARRIVAL_UNKNOWN : in.readLong();
                int keyLength = in.readInt();
                String key = null;
                if (keyLength >= 0) {
                    byte[] keyBytes = in.readNBytes(keyLength);
                    key = new String(keyBytes, StandardCharsets.UTF_8);
                }
                byte[] value = in.readNBytes(in.readInt());
                entries.add(new Entry(topic, offset, arrivedAt, key, value));
            }
            return entries;
        } catch (IOException e) {
            throw new IllegalStateException("an unreadable journal batch: " + e.getMessage(), e);
        }
    }
}
