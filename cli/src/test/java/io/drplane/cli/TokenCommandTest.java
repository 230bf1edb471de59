package io.drplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.coordinator.api.ApiTokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldMakeATokenTheCoordinatorsTokensFileGrantsAndKeepOnlyItsHash() throws Exception {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new DrplaneCli())
                .setOut(new PrintWriter(out))
                .execute("token", "--principal", "alice@example.com", "--right", "operate");

        assertThat(code).isZero();
        String[] lines = out.toString().split("\n");
        String token = lines[0].substring(lines[0].lastIndexOf(' ') + 1);
        String entry = lines[2];
        assertThat(entry).startsWith("alice@example.com:operate:").doesNotContain(token);

        Path file = Files.writeString(dir.resolve("tokens"), entry + "\n");
        ApiTokens tokens = new ApiTokens(null, file.toString());
        assertThat(tokens.principal("Bearer " + token)).hasValue(new ApiTokens.Principal("alice@example.com", true));
        assertThat(tokens.principal("Bearer " + token + "x")).isEmpty();
    }

    @Test
    void shouldRefuseARightThatIsNone() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new DrplaneCli())
                .setErr(new PrintWriter(err))
                .execute("token", "--principal", "bob", "--right", "admin");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("the right is read or operate, not 'admin'");
    }
}
