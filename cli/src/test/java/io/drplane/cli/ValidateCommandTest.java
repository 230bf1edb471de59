package io.drplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ValidateCommandTest {

    @Test
    void shouldSummariseAValidPlanAndExitZero() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new DrplaneCli()).setOut(new PrintWriter(out));

        int exit = cli.execute("validate", "../examples/two-region-shop.yml");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains(
                        "../examples/two-region-shop.yml is valid: 1 group(s), regions us-east-1, us-west-2, 3 vantage point(s)")
                .contains("shop: warm-standby, automatic, primary us-east-1, RTO 15m, RPO 1m");
    }

    @Test
    void shouldPrintEveryErrorAndExitNonZero() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DrplaneCli()).setErr(new PrintWriter(err));

        int exit = cli.execute("validate", "../plan/src/test/resources/plans/many-errors.yml");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .contains("10 error(s)")
                .contains(
                        "groups[0].regions[0].targets[0].url (line 13): 'htp://shop.example.com/health' is not allowed")
                .contains(
                        "groups[0].replication[0].maxLagOnFaillover (line 27): 'maxLagOnFaillover' is not allowed; unknown key");
    }
}
