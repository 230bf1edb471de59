package io.drplane.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state's small maps: equal to any map of the same entries, immutable, and copied only where written. */
class SmallMapTest {

    private static Map<String, Integer> source() {
        Map<String, Integer> source = new LinkedHashMap<>();
        source.put("us-east-1|v1", 1);
        source.put("us-east-1|v2", 2);
        source.put("us-west-2|v1", 3);
        return source;
    }

    @Test
    void shouldBeEqualToAnyMapOfTheSameEntriesAndKeepTheirOrder() {
        SmallMap<Integer> small = SmallMap.of(source());

        assertThat(small).isEqualTo(source()).isEqualTo(Map.copyOf(source())).hasSameHashCodeAs(source());
        assertThat(small.keySet()).containsExactly("us-east-1|v1", "us-east-1|v2", "us-west-2|v1");
        assertThat(small.get(new String("us-west-2|v1")))
                .as("a key equal but not the same instance")
                .isEqualTo(3);
        assertThat(small.get("eu-west-1|v1")).isNull();
        assertThat(SmallMap.of(small)).isSameAs(small);
        assertThat(small).hasToString("{us-east-1|v1=1, us-east-1|v2=2, us-west-2|v1=3}");
    }

    @Test
    void shouldRefuseChangesAndNulls() {
        SmallMap<Integer> small = SmallMap.of(source());

        assertThatThrownBy(() -> small.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> small.entrySet().iterator().next().setValue(9))
                .isInstanceOf(UnsupportedOperationException.class);
        Map<String, Integer> withNull = new LinkedHashMap<>(source());
        withNull.put("us-west-2|v2", null);
        assertThatThrownBy(() -> SmallMap.of(withNull))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("us-west-2|v2");
    }

    @Test
    void shouldCopyOnlyWhatIsWrittenAndShareTheKeys() {
        SmallMap<Integer> base = SmallMap.of(source());

        Cow<Integer> unchanged = new Cow<>(base);
        unchanged.put("us-east-1|v2", 2); // the value it has: no copy
        assertThat(unchanged.freeze()).isSameAs(base);

        Cow<Integer> changed = new Cow<>(base);
        changed.put("us-east-1|v2", 20);
        SmallMap<Integer> next = (SmallMap<Integer>) changed.freeze();
        assertThat(next)
                .containsExactly(
                        Map.entry("us-east-1|v1", 1), Map.entry("us-east-1|v2", 20), Map.entry("us-west-2|v1", 3));
        assertThat(next.keys).as("the keys are shared").isSameAs(base.keys);
        assertThat(base.get("us-east-1|v2")).as("the base is as it was").isEqualTo(2);

        Cow<Integer> added = new Cow<>(base);
        added.put("us-west-2|v2", 4);
        assertThat(added.get("us-west-2|v2")).isEqualTo(4);
        assertThat(added.freeze()).hasSize(4).containsEntry("us-west-2|v2", 4);
        assertThat(base).hasSize(3);
    }
}
