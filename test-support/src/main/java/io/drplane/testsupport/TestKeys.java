package io.drplane.testsupport;

/** Keys test services are given; never used outside tests. */
public final class TestKeys {

    /** {@code DRPLANE_OPERATOR_KEYS} of a test coordinator: one key, {@code test}, of 38 bytes. */
    public static final String OPERATOR_KEYS = "test:dGVzdC1vcGVyYXRvci1rZXktb2YtdGhpcnR5LXR3by1ieXRlcyE=";

    /** {@code DRPLANE_COMMAND_KEYS} of a test coordinator and its executors: one key, {@code cmd}, of 39 bytes. */
    public static final String COMMAND_KEYS = "cmd:dGVzdC1jb21tYW5kLWtleS1vZi10aGlydHktZWlnaHQtYnl0ZXMh";

    private TestKeys() {}
}
