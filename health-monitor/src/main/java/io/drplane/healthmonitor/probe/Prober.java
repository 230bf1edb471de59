package io.drplane.healthmonitor.probe;

import io.drplane.plan.HealthTarget;
import java.util.concurrent.CompletableFuture;

/**
 * One kind of probe. A prober never throws and never completes exceptionally: every failure becomes a
 * {@link ProbeResult} with its failure class. It must also finish by the target's timeouts on its own; the
 * scheduler adds a hard deadline on top, for probers that would not.
 */
public interface Prober {

    boolean handles(HealthTarget.Kind kind);

    CompletableFuture<ProbeResult> probe(ProbeTarget probeTarget);
}
