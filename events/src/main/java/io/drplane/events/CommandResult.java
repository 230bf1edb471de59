package io.drplane.events;

/** What an executor reports about one command. */
public interface CommandResult extends GroupEvent {
    String commandId();

    String failoverId();

    String region();

    long epoch();

    EventType commandType();
    /** What happened and why, as a code and one sentence. */
    Reason reason();
}
