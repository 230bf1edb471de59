package io.drplane.plan.load;

import io.drplane.plan.DurationText;
import io.drplane.plan.WireName;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML mapping read key by key. Every accessor records what it read; {@link #finish()} reports the keys
 * nobody asked for, because a typo (say {@code maxLagOnFaillover}) must not silently disable a rule.
 * Accessors never throw: they record an error with the path and return a default, so loading goes on and
 * every error of the file is reported.
 */
final class YamlMap {

    private final String path;
    private final Node node;
    private final Errors errors;
    private final Map<String, Node> values = new LinkedHashMap<>();
    private final Map<String, Node> keys = new LinkedHashMap<>();
    private final Set<String> read = new LinkedHashSet<>();

    private YamlMap(String path, Node node, Errors errors) {
        this.path = path;
        this.node = node;
        this.errors = errors;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode scalar
                        ? scalar.getValue()
                        : String.valueOf(tuple.getKeyNode());
                if (values.containsKey(key)) {
                    errors.add(child(key), tuple.getKeyNode(), key, "each key may appear once in a mapping");
                }
                values.put(key, tuple.getValueNode());
                keys.put(key, tuple.getKeyNode());
            }
        }
    }

    /** The mapping at {@code path}, or null (with an error) when the node is something else. */
    static YamlMap of(String path, Node node, Errors errors) {
        if (!(node instanceof MappingNode)) {
            errors.add(path, node, describe(node), "expected a mapping of keys to values");
            return null;
        }
        return new YamlMap(path, node, errors);
    }

    String path() {
        return path;
    }

    Node node() {
        return node;
    }

    Errors errors() {
        return errors;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    Node raw(String key) {
        read.add(key);
        return values.get(key);
    }

    /** Records an error about the value under {@code key}. */
    void error(String key, String value, String allowed) {
        errors.add(child(key), values.getOrDefault(key, node), value, allowed);
    }

    String string(String key, boolean required) {
        Node value = raw(key);
        if (value == null) {
            if (required) {
                errors.add(child(key), node, null, "'" + key + "' is required here");
            }
            return null;
        }
        if (!(value instanceof ScalarNode scalar)) {
            errors.add(child(key), value, describe(value), "expected a single value, not a list or mapping");
            return null;
        }
        String text = scalar.getValue().trim();
        if (text.isEmpty() && required) {
            errors.add(child(key), value, "", "'" + key + "' must not be empty");
            return null;
        }
        return text.isEmpty() ? null : text;
    }

    /** A required or optional string matching a pattern; {@code allowed} says in words what matches. */
    String matching(String key, boolean required, Pattern pattern, String allowed) {
        String value = string(key, required);
        if (value != null && !pattern.matcher(value).matches()) {
            errors.add(child(key), values.get(key), value, allowed);
            return null;
        }
        return value;
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        String value = string(key, defaultValue == null);
        if (value == null) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (wireName(constant).equals(value)) {
                return constant;
            }
        }
        errors.add(
                child(key),
                values.get(key),
                value,
                "expected one of: "
                        + Arrays.stream(type.getEnumConstants())
                                .map(YamlMap::wireName)
                                .collect(Collectors.joining(", ")));
        return defaultValue;
    }

    /** How enum constants are written in the plan: {@code WARM_STANDBY} is {@code warm-standby}. */
    static String wireName(Enum<?> constant) {
        return WireName.of(constant);
    }

    Integer integer(String key, Integer defaultValue, int min, int max) {
        String value = string(key, defaultValue == null);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                errors.add(child(key), values.get(key), value, "expected a whole number from " + min + " to " + max);
                return defaultValue;
            }
            return parsed;
        } catch (NumberFormatException e) {
            errors.add(child(key), values.get(key), value, "expected a whole number from " + min + " to " + max);
            return defaultValue;
        }
    }

    Boolean bool(String key, boolean defaultValue) {
        String value = string(key, false);
        if (value == null) {
            return defaultValue;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                errors.add(child(key), values.get(key), value, "expected true or false");
                yield defaultValue;
            }
        };
    }

    /** A duration written as a number and a unit: {@code 500ms}, {@code 10s}, {@code 15m}, {@code 2h}, {@code 7d}. */
    Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        String value = string(key, defaultValue == null);
        if (value == null) {
            return defaultValue;
        }
        String allowed = "expected a duration from " + format(min) + " to " + format(max)
                + ", written as a number and a unit (ms, s, m, h, d), like 10s or 15m";
        Duration parsed = DurationText.parse(value).orElse(null);
        if (parsed == null) {
            errors.add(child(key), values.get(key), value, allowed);
            return defaultValue;
        }
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            errors.add(child(key), values.get(key), value, allowed);
            return defaultValue;
        }
        return parsed;
    }

    static String format(Duration d) {
        return DurationText.of(d);
    }

    URI uri(String key, boolean required, Set<String> schemes) {
        String value = string(key, required);
        if (value == null) {
            return null;
        }
        String allowed = "expected an absolute URL with scheme " + String.join(" or ", schemes) + " and a host, like "
                + schemes.iterator().next() + "://shop.example.com/health";
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme()) || uri.getHost() == null) {
                errors.add(child(key), values.get(key), value, allowed);
                return null;
            }
            if (uri.getPort() == 0) {
                errors.add(child(key), values.get(key), value, "port 0 is not a port; " + allowed);
                return null;
            }
            return uri;
        } catch (Exception e) {
            errors.add(child(key), values.get(key), value, allowed);
            return null;
        }
    }

    /** A list of mappings, each read by {@code item} with its indexed path. */
    <T> List<T> list(String key, boolean required, BiFunction<YamlMap, Integer, T> item) {
        Node value = raw(key);
        if (value == null) {
            if (required) {
                errors.add(child(key), node, null, "'" + key + "' is required here: a list with at least one entry");
            }
            return List.of();
        }
        if (!(value instanceof SequenceNode sequence)) {
            errors.add(child(key), value, describe(value), "expected a list");
            return List.of();
        }
        if (sequence.getValue().isEmpty() && required) {
            errors.add(child(key), value, "[]", "expected a list with at least one entry");
        }
        List<T> result = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            YamlMap entry = of(child(key) + "[" + i + "]", sequence.getValue().get(i), errors);
            if (entry != null) {
                T t = item.apply(entry, i);
                if (t != null) {
                    result.add(t);
                }
                entry.finish();
            }
        }
        return List.copyOf(result);
    }

    /** A list of plain values. */
    List<String> strings(String key, boolean required) {
        Node value = raw(key);
        if (value == null) {
            if (required) {
                errors.add(child(key), node, null, "'" + key + "' is required here: a list of values");
            }
            return List.of();
        }
        if (!(value instanceof SequenceNode sequence)) {
            errors.add(child(key), value, describe(value), "expected a list of values");
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            Node item = sequence.getValue().get(i);
            if (item instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
                result.add(scalar.getValue().trim());
            } else {
                errors.add(child(key) + "[" + i + "]", item, describe(item), "expected a single non-empty value");
            }
        }
        return List.copyOf(result);
    }

    /** A mapping of plain keys to plain values (HTTP headers, tags). */
    Map<String, String> stringMap(String key) {
        Node value = raw(key);
        if (value == null) {
            return Map.of();
        }
        YamlMap map = of(child(key), value, errors);
        if (map == null) {
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String k : map.values.keySet()) {
            String v = map.string(k, true);
            if (v != null) {
                result.put(k, v);
            }
        }
        return Collections.unmodifiableMap(result);
    }

    /** A nested mapping read by {@code reader}; null when absent (and not required). */
    <T> T object(String key, boolean required, Function<YamlMap, T> reader) {
        Node value = raw(key);
        if (value == null) {
            if (required) {
                errors.add(child(key), node, null, "'" + key + "' is required here");
            }
            return null;
        }
        YamlMap map = of(child(key), value, errors);
        if (map == null) {
            return null;
        }
        T result = reader.apply(map);
        map.finish();
        return result;
    }

    /** Reports every key that no accessor read, with the keys that are allowed here. */
    void finish() {
        for (Map.Entry<String, Node> entry : keys.entrySet()) {
            if (!read.contains(entry.getKey())) {
                errors.add(
                        child(entry.getKey()),
                        entry.getValue(),
                        entry.getKey(),
                        "unknown key; allowed here: " + String.join(", ", read));
            }
        }
    }

    private static String describe(Node node) {
        if (node == null) {
            return null;
        }
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        return node instanceof SequenceNode ? "(a list)" : "(a mapping)";
    }
}
