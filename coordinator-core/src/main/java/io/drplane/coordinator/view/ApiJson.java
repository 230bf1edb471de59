package io.drplane.coordinator.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;

/** Reads the API's answers into its records, for clients; fields a newer coordinator adds are ignored. */
public final class ApiJson {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ApiJson() {}

    public static GroupView group(String body) {
        return read(body, GroupView.class);
    }

    public static List<GroupView> groups(String body) {
        return Arrays.asList(read(body, GroupView[].class));
    }

    public static <T> T read(String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the coordinator's answer is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
