package io.drplane.events;

/** One end-state check of a verify command: the kind, the resource and the expected value. */
public record VerifyCheck(VerifyKind kind, String resource, String expected) {}
