package io.drplane.replicationtracker.measure;

/** Measures one link. Blocking (JDBC, AWS calls): it runs on a worker thread, never on the scheduler's. */
public interface LagMeasurer extends AutoCloseable {

    LagReading measure();

    @Override
    void close();
}
