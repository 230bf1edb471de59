package io.drplane.plan.load;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** Collects every error of one plan load, so a person sees them all at once. */
final class Errors {
    private final List<PlanError> list = new ArrayList<>();

    void add(String path, Node node, String value, String allowed) {
        list.add(new PlanError(path, node == null ? 0 : node.getStartMark().getLine() + 1, value, allowed));
    }

    List<PlanError> list() {
        return list;
    }

    boolean isEmpty() {
        return list.isEmpty();
    }
}
