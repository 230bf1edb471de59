package io.drplane.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drplane.events.Event;
import io.drplane.events.EventType;
import io.drplane.events.SampleEvents;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The single-pass reader must never answer differently from the general reader (tree, schema, binding): for every event
 * type, the sample and hundreds of variants of it (each field removed, nulled, given every other JSON type, an integer
 * out of range, another time shape, given twice, moved), the reader either does not vouch or returns exactly the event
 * the general reader returns. And it must vouch for what drplane writes, or it saves nothing.
 */
class SinglePassReaderTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<JsonNode> REPLACEMENTS = List.of(
            JSON.nullNode(),
            JSON.textNode(""),
            JSON.textNode("x"),
            JSON.textNode("HTTPS"),
            JSON.textNode("2026-11-21T10:15:30Z"),
            JSON.textNode("2026-11-21T11:15:30.120+01:00"),
            JSON.textNode("2026-02-30T10:15:30.120Z"),
            JSON.textNode("2016-12-31T23:59:60Z"),
            JSON.textNode("2026-11-21 10:15:30Z"),
            JSON.textNode("io.drplane.command.verify.v1"),
            JSON.textNode("shop"),
            JSON.numberNode(0),
            JSON.numberNode(-7),
            JSON.numberNode(1.5),
            JSON.numberNode(2.0),
            JSON.numberNode(1L << 40),
            JSON.numberNode(new BigInteger("100000000000000000000")),
            JSON.booleanNode(true),
            JSON.arrayNode(),
            JSON.arrayNode().add("x"),
            JSON.objectNode(),
            JSON.objectNode().put("k", "v"));

    private final EventCodec codec = EventCodec.instance();
    private final SinglePassReader reader =
            new SinglePassReader(EventJson.mapper().getFactory());

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldReadWhatDrplaneWritesAsTheGeneralReaderDoes(EventType type) throws Exception {
        Event<?> sample = SampleEvents.event(type);
        byte[] written = codec.encode(sample);
        ObjectNode tree = (ObjectNode) EventJson.mapper().readTree(written);

        Map<String, byte[]> vouched = new LinkedHashMap<>();
        vouched.put("as written", written);
        vouched.put(
                "pretty-printed",
                EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
        vouched.put(
                "an extension attribute",
                variant(tree, json -> json.putObject("ext").putArray("a").add(1).addObject()));
        vouched.put("an unknown data field", variant(tree, json -> ((ObjectNode) json.get("data"))
                .putObject("later")
                .put("x", 1)));
        vouched.put("no datacontenttype", variant(tree, json -> json.remove("datacontenttype")));
        vouched.put("time without a fraction", variant(tree, json -> json.put("time", "2026-11-21T10:15:30Z")));
        vouched.put("attributes in reverse order", reversedAttributesDataLast(tree));

        for (var variant : vouched.entrySet()) {
            Event<?> read = reader.read(variant.getValue());
            assertThat(read)
                    .as("the single-pass reader vouches for %s", variant.getKey())
                    .isNotNull();
            assertThat(read).as(variant.getKey()).isEqualTo(codec.decodeGenerally(variant.getValue()));
        }
        assertThat(reader.read(written)).isEqualTo(sample);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldNeverAnswerOtherwiseThanTheGeneralReader(EventType type) throws Exception {
        ObjectNode tree = (ObjectNode) EventJson.mapper().readTree(codec.encode(SampleEvents.event(type)));
        Map<String, byte[]> variants = variants(tree);
        int vouched = 0;
        int refused = 0;

        for (var variant : variants.entrySet()) {
            byte[] bytes = variant.getValue();
            Event<?> read = reader.read(bytes);
            Object general = generalAnswer(bytes);
            if (read != null) {
                vouched++;
                assertThat(general)
                        .as(
                                "the general reader's answer to %s, which the single-pass reader vouched for",
                                variant.getKey())
                        .isEqualTo(read);
            }
            if (general instanceof String) {
                refused++;
            }
            Object decoded = answer(bytes);
            assertThat(decoded).as("decode's answer to %s", variant.getKey()).isEqualTo(general);
        }
        // Neither side vacuous: the variants include events the general reader refuses and ones the single pass reads.
        assertThat(refused).as("variants the general reader refuses").isGreaterThan(variants.size() / 4);
        assertThat(vouched).as("variants the single-pass reader vouches for").isGreaterThan(0);
    }

    /** Every field, at every depth, removed and replaced by each of {@link #REPLACEMENTS}; then whole-event changes. */
    private static Map<String, byte[]> variants(ObjectNode tree) throws Exception {
        Map<String, byte[]> variants = new LinkedHashMap<>();
        for (String path : paths(tree, "")) {
            variants.put("without " + path, variant(tree, json -> remove(json, path)));
            for (JsonNode replacement : REPLACEMENTS) {
                variants.put(path + " = " + replacement, variant(tree, json -> replace(json, path, replacement)));
            }
            variants.put(path + " given twice", duplicated(tree, path));
        }
        variants.put("data before the type", dataFirst(tree));
        variants.put(
                "data as base64",
                variant(
                        tree,
                        json -> json.put(
                                "data_base64",
                                Base64.getEncoder()
                                        .encodeToString(
                                                json.remove("data").toString().getBytes(StandardCharsets.UTF_8)))));
        byte[] written = EventJson.mapper().writeValueAsBytes(tree);
        variants.put("cut short", Arrays.copyOf(written, written.length - 2));
        variants.put(
                "followed by more",
                (new String(written, StandardCharsets.UTF_8) + " {}").getBytes(StandardCharsets.UTF_8));
        variants.put(
                "an array", ("[" + new String(written, StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8));
        return variants;
    }

    /** The general reader's answer: the event, or its error message. */
    private Object generalAnswer(byte[] bytes) {
        try {
            return codec.decodeGenerally(bytes);
        } catch (EventDecodingException e) {
            return e.getMessage();
        }
    }

    private Object answer(byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (EventDecodingException e) {
            return e.getMessage();
        }
    }

    /** Paths of every field and array item, as slash-separated names and indexes. */
    private static List<String> paths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                paths.add(prefix + "/" + name);
                paths.addAll(paths(node.get(name), prefix + "/" + name));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                paths.add(prefix + "/" + i);
                paths.addAll(paths(node.get(i), prefix + "/" + i));
            }
        }
        return paths;
    }

    private static void remove(ObjectNode root, String path) {
        JsonNode parent = root.at(path.substring(0, path.lastIndexOf('/')));
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (parent instanceof ObjectNode object) {
            object.remove(last);
        } else {
            ((ArrayNode) parent).remove(Integer.parseInt(last));
        }
    }

    private static void replace(ObjectNode root, String path, JsonNode value) {
        JsonNode parent = root.at(path.substring(0, path.lastIndexOf('/')));
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(last), value);
        }
    }

    /** The field at {@code path} written a second time, with another value, after its first; items are left as they are. */
    private static byte[] duplicated(ObjectNode tree, String path) throws Exception {
        JsonNode parent = tree.at(path.substring(0, path.lastIndexOf('/')));
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (!parent.isObject()) {
            return EventJson.mapper().writeValueAsBytes(tree);
        }
        String marker = "\"__duplicate__\":0";
        ObjectNode copy = tree.deepCopy();
        ObjectNode parentCopy = (ObjectNode) copy.at(path.substring(0, path.lastIndexOf('/')));
        parentCopy.put("__duplicate__", 0);
        String json = EventJson.mapper().writeValueAsString(copy);
        String again = EventJson.mapper().writeValueAsString(JSON.textNode(last)) + ":"
                + EventJson.mapper().writeValueAsString(JSON.textNode("other"));
        return json.replace(marker, again).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] dataFirst(ObjectNode tree) throws Exception {
        ObjectNode reordered = JSON.objectNode();
        reordered.set("data", tree.get("data"));
        tree.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("data")) {
                reordered.set(field.getKey(), field.getValue());
            }
        });
        return EventJson.mapper().writeValueAsBytes(reordered);
    }

    private static byte[] reversedAttributesDataLast(ObjectNode tree) throws Exception {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        tree.fields().forEachRemaining(fields::add);
        ObjectNode reordered = JSON.objectNode();
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (!fields.get(i).getKey().equals("data")) {
                reordered.set(fields.get(i).getKey(), fields.get(i).getValue());
            }
        }
        reordered.set("data", tree.get("data"));
        return EventJson.mapper().writeValueAsBytes(reordered);
    }

    private static byte[] variant(ObjectNode tree, Consumer<ObjectNode> change) throws Exception {
        ObjectNode json = tree.deepCopy();
        change.accept(json);
        return EventJson.mapper().writeValueAsBytes(json);
    }
}
