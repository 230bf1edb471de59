package io.drplane.plan.load;

import java.util.List;
import java.util.stream.Collectors;

/** A plan that cannot be used; carries every error found, not only the first. */
public class PlanException extends RuntimeException {

    private final String source;
    private final List<PlanError> errors;

    public PlanException(String source, List<PlanError> errors) {
        super(format(source, errors));
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    public String source() {
        return source;
    }

    public List<PlanError> errors() {
        return errors;
    }

    private static String format(String source, List<PlanError> errors) {
        return "plan " + source + " has " + errors.size() + (errors.size() == 1 ? " error" : " errors") + ":\n"
                + errors.stream().map(e -> "  - " + e).collect(Collectors.joining("\n"));
    }
}
