package io.drplane.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** One concrete topic to provision: its name, partition count and configs. */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    public TopicSpec {
        configs = Map.copyOf(configs);
    }

    /** Every topic drplane needs for a deployment that spans the given regions. */
    public static List<TopicSpec> all(Collection<String> regions) {
        List<TopicSpec> specs = new ArrayList<>();
        for (TopicFamily family : TopicFamily.values()) {
            if (family.perRegion()) {
                regions.stream()
                        .sorted()
                        .distinct()
                        .forEach(region ->
                                specs.add(new TopicSpec(family.topic(region), family.partitions(), family.configs())));
            } else {
                specs.add(new TopicSpec(family.topic(), family.partitions(), family.configs()));
            }
        }
        return List.copyOf(specs);
    }
}
