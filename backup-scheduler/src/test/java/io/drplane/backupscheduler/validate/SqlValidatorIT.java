package io.drplane.backupscheduler.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.backupscheduler.engine.DatabaseEndpoint;
import io.drplane.backupscheduler.engine.RecoveryPoint;
import io.drplane.backupscheduler.engine.ResourceArn;
import io.drplane.backupscheduler.run.RestoreValidator.Restored;
import io.drplane.devdb.PostgresPair;
import io.drplane.plan.RestoreTest;
import io.drplane.plan.RestoreValidation;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restore test's SQL validation against a real PostgreSQL standing for the restored instance: the query's first
 * value held to the minimum, a read-only session, credentials from secret references, and every failure said in one
 * line.
 */
class SqlValidatorIT {

    private static PostgresPair postgres;
    private static String address;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresPair.start();
        URI url = URI.create(postgres.primaryUrl().substring("jdbc:".length()));
        address = url.getHost() + ":" + url.getPort();
        try (Connection db = postgres.primary();
                Statement sql = db.createStatement()) {
            db.setAutoCommit(true);
            sql.execute("CREATE TABLE IF NOT EXISTS restored_orders (id serial PRIMARY KEY, placed timestamptz)");
            sql.execute("INSERT INTO restored_orders (placed) SELECT now() FROM generate_series(1, 3)");
        }
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** Secret references as the plan gives them, resolved from this map (the service resolves env:, secretsmanager:). */
    private final Map<String, String> secrets =
            Map.of("env:DB_USER", PostgresPair.USER, "env:DB_PASSWORD", PostgresPair.PASSWORD, "env:WRONG", "nope");

    private SqlValidator validator() {
        return new SqlValidator(
                (reference, region) -> secrets.get(reference), Optional.of(address), Duration.ofSeconds(5));
    }

    private static Restored restored(String sql, long minimum, String password) {
        RestoreTest test = new RestoreTest(
                "drill",
                "cron(0 7 ? * * *)",
                "daily",
                "us-west-2",
                RestoreTest.Pick.LATEST,
                Duration.ofDays(7),
                new RestoreValidation(sql, PostgresPair.DATABASE, minimum, "env:DB_USER", password));
        RecoveryPoint point = new RecoveryPoint(
                "p", "us-west-2", ResourceArn.Kind.RDS_INSTANCE, "shop", "daily", "p", Instant.now(), true, null);
        // the address moto reports answers nothing: the override points at the real database
        return new Restored(
                test,
                point,
                "drplane-rt-shop-drill",
                Optional.of(new DatabaseEndpoint("drplane-rt-shop-drill.example.internal", 5432, "postgres")));
    }

    @Test
    void shouldPassWhenTheQueryReturnsAtLeastTheMinimum() {
        assertThat(validator().problem(restored("SELECT count(*) FROM restored_orders", 3, "env:DB_PASSWORD")))
                .isEmpty();
    }

    /** The local stack's drill: a real dump of the primary restored into another database, twice (a refresh). */
    @Test
    void shouldValidateACopyRestoredFromADumpOfThePrimary() {
        postgres.restoreDumpOfPrimary("shop_copy");
        postgres.restoreDumpOfPrimary("shop_copy");
        Restored restored = restored("SELECT count(*) FROM restored_orders", 3, "env:DB_PASSWORD");
        RestoreTest onCopy = new RestoreTest(
                "drill",
                "cron(0 7 ? * * *)",
                "daily",
                "us-west-2",
                RestoreTest.Pick.LATEST,
                Duration.ofDays(7),
                new RestoreValidation(
                        "SELECT count(*) FROM restored_orders", "shop_copy", 3, "env:DB_USER", "env:DB_PASSWORD"));

        assertThat(validator().problem(new Restored(onCopy, restored.point(), restored.name(), restored.endpoint())))
                .isEmpty();
    }

    @Test
    void shouldSayWhatTheQueryReturnedWhenItIsUnderTheMinimum() {
        assertThat(validator().problem(restored("SELECT count(*) FROM restored_orders", 100, "env:DB_PASSWORD")))
                .contains("SELECT count(*) FROM restored_orders returned 3 in shop, under the minimum of 100");
    }

    @Test
    void shouldRunTheQueryReadOnly() throws Exception {
        // a data-modifying CTE gets past a SELECT-or-WITH check; the read-only session still refuses it
        assertThat(validator()
                        .problem(restored(
                                "WITH gone AS (DELETE FROM restored_orders RETURNING id) SELECT count(*) FROM gone",
                                0,
                                "env:DB_PASSWORD")))
                .hasValueSatisfying(problem ->
                        assertThat(problem).contains("the validation query on " + address + "/shop failed: 25006"));
        try (Connection db = postgres.primary();
                Statement sql = db.createStatement();
                var rows = sql.executeQuery("SELECT count(*) FROM restored_orders")) {
            rows.next();
            assertThat(rows.getLong(1)).as("nothing deleted").isEqualTo(3);
        }
    }

    @Test
    void shouldSayWhyItCouldNotLogIn() {
        assertThat(validator().problem(restored("SELECT 1", 1, "env:WRONG")))
                .hasValueSatisfying(problem ->
                        assertThat(problem).startsWith("the validation query on " + address + "/shop failed: 28P01"));
    }

    @Test
    void shouldNeedNothingMoreThanAnAvailableResourceWithoutAValidation() {
        Restored plain = restored("SELECT 1", 1, "env:DB_PASSWORD");
        RestoreTest withoutValidation = new RestoreTest(
                "drill", "cron(0 7 ? * * *)", "daily", "us-west-2", RestoreTest.Pick.LATEST, Duration.ofDays(7), null);
        assertThat(validator().problem(new Restored(withoutValidation, plain.point(), plain.name(), Optional.empty())))
                .isEmpty();
    }
}
