package io.drplane.coordinator.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.drplane.events.codec.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A group's state as JSON, for the compacted snapshot topic. */
public final class StateCodec {

    private static final ObjectMapper JSON = EventJson.mapper();

    private StateCodec() {}

    public static byte[] encode(GroupState state) {
        try {
            return JSON.writeValueAsBytes(state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state of " + state.group(), e);
        }
    }

    public static GroupState decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, GroupState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a coordinator snapshot: " + e.getMessage(), e);
        }
    }
}
