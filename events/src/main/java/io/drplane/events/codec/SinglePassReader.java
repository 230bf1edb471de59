package io.drplane.events.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.EventType;
import io.drplane.events.schema.EventSchemaGenerator;
import jakarta.annotation.Nullable;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a structured CloudEvent in one pass over its bytes, checking as it goes what the type's schema asks of the
 * payload, and builds the event without a tree. The general reader parses a tree, validates it against the schema and
 * binds it: three passes and most of what the coordinator allocated per input.
 * <p>
 * It vouches only for an event it can read whole and that the general reader would read the same. Anything else, such
 * as a field given twice, a null, a number with a fraction or past the field's range, a time with an offset, data
 * before the type, or base64 data, makes it answer null, and the codec reads the event the general way, which then
 * accepts it or names what is wrong. Every answer is therefore the general reader's; this one only gets there sooner.
 * <p>
 * What it checks mirrors {@link EventSchemaGenerator}, which derives the shipped schemas from the same records: a
 * component not marked {@link Nullable} is required; strings, integers and booleans are of their JSON type; an instant
 * is a date-time; an enum is one of its names; lists and maps hold values of their type; unknown fields are ignored.
 */
final class SinglePassReader {

    /** Thrown, without a stack, when the event is not one this reader vouches for. */
    private static final class CannotVouch extends Exception {
        private static final CannotVouch INSTANCE = new CannotVouch();

        private CannotVouch() {
            super(null, null, false, false);
        }
    }

    private static final CannotVouch CANNOT = CannotVouch.INSTANCE;

    @FunctionalInterface
    private interface ValueReader {
        /** Reads the value whose first token, {@code token}, the parser is on; leaves the parser on its last token. */
        Object read(JsonParser parser, JsonToken token) throws IOException, CannotVouch;
    }

    private static final String SPEC_VERSION = "1.0";
    private static final int SPEC_VERSION_SEEN = 1;
    private static final int ID_SEEN = 1 << 1;
    private static final int SOURCE_SEEN = 1 << 2;
    private static final int TYPE_SEEN = 1 << 3;
    private static final int CONTENT_TYPE_SEEN = 1 << 4;
    private static final int SUBJECT_SEEN = 1 << 5;
    private static final int TIME_SEEN = 1 << 6;
    private static final int DATA_SEEN = 1 << 7;

    /** Sources kept parsed; past this many distinct ones (drplane has one per service instance) they are parsed each time. */
    private static final int MAX_SOURCES = 1_024;

    private static final ByName<EventType> EVENT_TYPES = new ByName<>(eventTypesByName());

    private final JsonFactory factory;
    private final Map<String, URI> sources = new ConcurrentHashMap<>();
    private final Map<EventType, ValueReader> dataReaders = new EnumMap<>(EventType.class);

    SinglePassReader(JsonFactory factory) {
        this.factory = factory;
        Map<Class<?>, ValueReader> records = new HashMap<>();
        for (EventType type : EventType.values()) {
            dataReaders.put(type, recordReader(type.dataClass(), records));
        }
    }

    private static Map<String, EventType> eventTypesByName() {
        Map<String, EventType> byName = new HashMap<>();
        for (EventType type : EventType.values()) {
            byName.put(type.typeName(), type);
        }
        return byName;
    }

    /** The event, or null when this reader does not vouch for it and the general reader is to read it. */
    @Nullable
    Event<?> read(byte[] value) {
        try (JsonParser parser = factory.createParser(value)) {
            return readEnvelope(parser);
        } catch (CannotVouch | IOException | RuntimeException e) {
            // Malformed JSON, or a record's constructor refusing a value: the general reader says what is wrong.
            return null;
        }
    }

    private Event<?> readEnvelope(JsonParser parser) throws IOException, CannotVouch {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw CANNOT;
        }
        int seen = 0;
        String id = null;
        String source = null;
        EventType type = null;
        String subject = null;
        Instant time = null;
        EventData data = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken valueToken = parser.nextToken();
            int field =
                    switch (name) {
                        case "specversion" -> SPEC_VERSION_SEEN;
                        case "id" -> ID_SEEN;
                        case "source" -> SOURCE_SEEN;
                        case "type" -> TYPE_SEEN;
                        case "datacontenttype" -> CONTENT_TYPE_SEEN;
                        case "subject" -> SUBJECT_SEEN;
                        case "time" -> TIME_SEEN;
                        case "data" -> DATA_SEEN;
                        case "data_base64" -> throw CANNOT;
                        default -> 0;
                    };
            if (field == 0) {
                parser.skipChildren(); // an extension attribute: the general reader ignores it too
                continue;
            }
            if ((seen & field) != 0) {
                throw CANNOT;
            }
            seen |= field;
            switch (field) {
                case SPEC_VERSION_SEEN -> {
                    if (!textEquals(parser, valueToken, SPEC_VERSION)) {
                        throw CANNOT;
                    }
                }
                case ID_SEEN -> id = string(parser, valueToken);
                case SOURCE_SEEN -> source = string(parser, valueToken);
                case TYPE_SEEN -> type = EVENT_TYPES.find(parser, valueToken);
                case CONTENT_TYPE_SEEN -> {
                    if (!textEquals(parser, valueToken, EventCodec.DATA_CONTENT_TYPE)
                            && !EventCodec.isJson(string(parser, valueToken))) {
                        throw CANNOT;
                    }
                }
                case SUBJECT_SEEN -> subject = string(parser, valueToken);
                case TIME_SEEN -> time = instant(parser, valueToken);
                default -> {
                    if (type == null) {
                        throw CANNOT; // data before the type: which schema applies is not known yet
                    }
                    data = (EventData) dataReaders.get(type).read(parser, valueToken);
                }
            }
        }
        if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
            throw CANNOT;
        }
        if ((seen & ~CONTENT_TYPE_SEEN)
                        != (SPEC_VERSION_SEEN
                                | ID_SEEN
                                | SOURCE_SEEN
                                | TYPE_SEEN
                                | SUBJECT_SEEN
                                | TIME_SEEN
                                | DATA_SEEN)
                || id.isEmpty()
                || source.isEmpty()
                || subject.isBlank()
                || !data.subject().equals(subject)) {
            throw CANNOT;
        }
        return new Event<>(id, sourceUri(source), time, data);
    }

    /** A service instance's source, parsed once: each writes thousands of events with the same one. */
    private URI sourceUri(String source) throws CannotVouch {
        URI uri = sources.get(source);
        if (uri == null) {
            try {
                uri = new URI(source);
            } catch (URISyntaxException e) {
                throw CANNOT;
            }
            if (sources.size() < MAX_SOURCES) {
                sources.put(source, uri);
            }
        }
        return uri;
    }

    /** A time in the shape drplane writes, read from the parser's characters; any other shape is the general reader's. */
    private static Instant instant(JsonParser parser, JsonToken token) throws IOException, CannotVouch {
        if (token != JsonToken.VALUE_STRING) {
            throw CANNOT;
        }
        Instant instant = EventJson.parseUtc(
                new Chars(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength()));
        if (instant == null) {
            throw CANNOT; // an offset or a leap second: valid, and read by the formatter the general way
        }
        return instant;
    }

    /** True when the current token is the string {@code expected}, compared without making a String of it. */
    private static boolean textEquals(JsonParser parser, JsonToken token, String expected) throws IOException {
        if (token != JsonToken.VALUE_STRING || parser.getTextLength() != expected.length()) {
            return false;
        }
        char[] chars = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        for (int i = 0; i < expected.length(); i++) {
            if (chars[offset + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A slice of the parser's character buffer, valid until its next token. */
    private record Chars(char[] buffer, int offset, int length) implements CharSequence {
        @Override
        public char charAt(int index) {
            return buffer[offset + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(buffer, offset + start, end - start);
        }

        @Override
        public String toString() {
            return new String(buffer, offset, length);
        }
    }

    /**
     * Constants found by the characters of their names (the hash String would compute, then a comparison), so that a
     * type or an enum value costs no String per event.
     */
    private static final class ByName<T> {
        private final String[] names;
        private final Object[] values;
        private final int mask;

        ByName(Map<String, T> byName) {
            int size = Integer.highestOneBit(Math.max(4, byName.size() * 4) - 1) << 1;
            names = new String[size];
            values = new Object[size];
            mask = size - 1;
            byName.forEach((name, value) -> {
                int slot = name.hashCode() & mask;
                while (names[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                names[slot] = name;
                values[slot] = value;
            });
        }

        @SuppressWarnings("unchecked")
        T find(JsonParser parser, JsonToken token) throws IOException, CannotVouch {
            if (token != JsonToken.VALUE_STRING) {
                throw CANNOT;
            }
            char[] chars = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            int length = parser.getTextLength();
            int hash = 0;
            for (int i = 0; i < length; i++) {
                hash = 31 * hash + chars[offset + i];
            }
            for (int slot = hash & mask; names[slot] != null; slot = (slot + 1) & mask) {
                if (sameChars(names[slot], chars, offset, length)) {
                    return (T) values[slot];
                }
            }
            throw CANNOT;
        }

        private static boolean sameChars(String name, char[] chars, int offset, int length) {
            if (name.length() != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (chars[offset + i] != name.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static String string(JsonParser parser, JsonToken token) throws IOException, CannotVouch {
        if (token != JsonToken.VALUE_STRING) {
            throw CANNOT;
        }
        return parser.getText();
    }

    /** The reader of a value of {@code type}, for each type {@link EventSchemaGenerator} maps to a schema. */
    private static ValueReader valueReader(Type type, Map<Class<?>, ValueReader> records) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] args = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return listReader(valueReader(args[0], records));
            }
            if (Map.class.isAssignableFrom(raw) && args[0] == String.class) {
                return mapReader(valueReader(args[1], records));
            }
            throw new IllegalArgumentException("no single-pass reader for " + type);
        }
        Class<?> cls = (Class<?>) type;
        if (cls == String.class) {
            return SinglePassReader::string;
        }
        if (cls == Instant.class) {
            return SinglePassReader::instant;
        }
        if (cls == int.class || cls == Integer.class) {
            return (parser, token) -> {
                if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
                    throw CANNOT;
                }
                return parser.getIntValue();
            };
        }
        if (cls == long.class || cls == Long.class) {
            return (parser, token) -> {
                if (token != JsonToken.VALUE_NUMBER_INT
                        || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw CANNOT;
                }
                return parser.getLongValue();
            };
        }
        if (cls == boolean.class || cls == Boolean.class) {
            return (parser, token) -> switch (token) {
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default -> throw CANNOT;
            };
        }
        if (cls == EventType.class) {
            return EVENT_TYPES::find;
        }
        if (cls.isEnum()) {
            Map<String, Object> byName = new HashMap<>();
            for (Object constant : cls.getEnumConstants()) {
                byName.put(((Enum<?>) constant).name(), constant);
            }
            return new ByName<>(byName)::find;
        }
        if (cls.isRecord()) {
            return recordReader(cls, records);
        }
        throw new IllegalArgumentException("no single-pass reader for " + cls.getName());
    }

    private static ValueReader listReader(ValueReader items) {
        return (parser, token) -> {
            if (token != JsonToken.START_ARRAY) {
                throw CANNOT;
            }
            List<Object> list = new ArrayList<>();
            JsonToken item;
            while ((item = parser.nextToken()) != JsonToken.END_ARRAY) {
                list.add(items.read(parser, item));
            }
            return list;
        };
    }

    private static ValueReader mapReader(ValueReader values) {
        return (parser, token) -> {
            if (token != JsonToken.START_OBJECT) {
                throw CANNOT;
            }
            Map<String, Object> map = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                if (map.put(key, values.read(parser, parser.nextToken())) != null) {
                    throw CANNOT; // a key twice: the tree keeps the last, this reader does not guess
                }
            }
            return map;
        };
    }

    private static ValueReader recordReader(Class<?> recordClass, Map<Class<?>, ValueReader> records) {
        ValueReader known = records.get(recordClass);
        if (known != null) {
            return known;
        }
        RecordComponent[] components = recordClass.getRecordComponents();
        if (components.length > Long.SIZE) {
            throw new IllegalArgumentException(
                    recordClass.getName() + " has more components than a single-pass reader tracks");
        }
        String[] names = new String[components.length];
        ValueReader[] readers = new ValueReader[components.length];
        Class<?>[] parameterTypes = new Class<?>[components.length];
        long required = 0;
        for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName();
            parameterTypes[i] = components[i].getType();
            if (!components[i].isAnnotationPresent(Nullable.class)) {
                required |= 1L << i;
            }
        }
        Constructor<?> constructor;
        try {
            constructor = recordClass.getDeclaredConstructor(parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a record without its canonical constructor: " + recordClass.getName(), e);
        }
        long requiredMask = required;
        ValueReader reader = (parser, token) -> {
            if (token != JsonToken.START_OBJECT) {
                throw CANNOT;
            }
            Object[] values = new Object[names.length];
            long seen = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                int index = indexOf(names, parser.currentName());
                JsonToken valueToken = parser.nextToken();
                if (index < 0) {
                    parser.skipChildren(); // unknown fields are allowed and ignored
                    continue;
                }
                if ((seen & (1L << index)) != 0) {
                    throw CANNOT;
                }
                seen |= 1L << index;
                values[index] = readers[index].read(parser, valueToken);
            }
            if ((seen & requiredMask) != requiredMask) {
                throw CANNOT;
            }
            try {
                return constructor.newInstance(values);
            } catch (InvocationTargetException | InstantiationException | IllegalAccessException e) {
                throw CANNOT;
            }
        };
        records.put(recordClass, reader); // before the components', so a record that nests itself would find it
        for (int i = 0; i < components.length; i++) {
            readers[i] = valueReader(components[i].getGenericType(), records);
        }
        return reader;
    }

    /** Field names come from the parser's symbol table, interned: equals finds them by identity, mostly at once. */
    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
