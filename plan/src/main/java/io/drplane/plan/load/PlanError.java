package io.drplane.plan.load;

/**
 * One thing wrong with a plan file: where (the path in the file, like {@code groups[0].regions[1].targets[0].url},
 * and the line), the bad value, and what is allowed.
 */
public record PlanError(String path, int line, String value, String allowed) {

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(path.isEmpty() ? "(top level)" : path);
        if (line > 0) {
            text.append(" (line ").append(line).append(')');
        }
        text.append(": ");
        if (value == null) {
            text.append("missing; ");
        } else {
            text.append('\'').append(value).append("' is not allowed; ");
        }
        return text.append(allowed).toString();
    }
}
