package io.drplane.executor.action;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What carrying out one command did: changed AWS, found it already as wanted, or (dry run) would have changed it.
 * {@code summary} is one sentence for people; {@code details} are the facts behind it for tooling.
 */
public record Outcome(Kind kind, String summary, Map<String, String> details) {

    public enum Kind {
        CHANGED,
        ALREADY_IN_DESIRED_STATE,
        WOULD_CHANGE,
        VERIFIED
    }

    public Outcome {
        details = Map.copyOf(details);
    }

    public static Outcome changed(String summary, Map<String, String> details) {
        return new Outcome(Kind.CHANGED, summary, details);
    }

    public static Outcome already(String summary, Map<String, String> details) {
        return new Outcome(Kind.ALREADY_IN_DESIRED_STATE, summary, details);
    }

    public static Outcome wouldChange(String summary, Map<String, String> details) {
        return new Outcome(Kind.WOULD_CHANGE, summary, details);
    }

    public static Outcome verified(String summary, Map<String, String> details) {
        return new Outcome(Kind.VERIFIED, summary, details);
    }

    /** The details plus the summary, as a command result's {@code outcome} map. */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>(details);
        map.put("outcome", kind.name());
        map.put("summary", summary);
        return map;
    }
}
