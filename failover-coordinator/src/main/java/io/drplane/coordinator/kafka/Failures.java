package io.drplane.coordinator.kafka;

/** How the loop reports a Kafka failure in one line. */
final class Failures {

    private Failures() {}

    /**
     * The message of a failure and of each of its causes: a failed send leaves the producer in an error state, and the
     * exception that reports it ("in an error state") names the send's failure only as its cause.
     */
    static String causes(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) { // a cycle ends at 10
            text.append(" <- ")
                    .append(cause.getClass().getSimpleName())
                    .append(": ")
                    .append(cause.getMessage());
        }
        return text.toString();
    }
}
