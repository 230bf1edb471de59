package io.drplane.localstack.sim;

/** What a simulated web instance does with a request. */
public enum InstanceMode {
    /** answers 200 "ok" */
    OK,
    /** the process is gone: connections are refused */
    STOPPED,
    /** the application answers 500 */
    FAILING,
    /** accepts the connection and never answers */
    HANGING,
    /** answers 200, three seconds late */
    SLOW
}
