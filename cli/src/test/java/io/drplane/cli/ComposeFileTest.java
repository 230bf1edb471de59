package io.drplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml parses; every service it builds names a module of this repository and a main class in it; and
 * every environment variable it gives a drplane service is one that service reads (a Micronaut property of the
 * module or its libraries, the logging variables, the AWS SDK's credentials, or the JVM options the image's
 * entrypoint reads), so a typo cannot hide in it.
 */
class ComposeFileTest {

    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> LIBRARIES =
            List.of("service-runtime", "executor-core", "coordinator-core", "events", "plan");
    private static final Set<String> AWS_SDK =
            Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9.\\-]+)");
    private static final Pattern CONFIGURATION = Pattern.compile("@ConfigurationProperties\\(\"([a-z0-9.\\-]+)\"\\)");
    private static final Pattern SETTER = Pattern.compile("public void set([A-Z][A-Za-z0-9]*)\\(");

    @Test
    @SuppressWarnings("unchecked")
    void shouldBuildRealModulesAndSetOnlyVariablesTheServicesRead() throws IOException {
        Map<String, Object> compose =
                new Yaml(new LoaderOptions()).load(Files.readString(HOME.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services)
                .containsKeys(
                        "kafka",
                        "moto",
                        "topics",
                        "failover-coordinator",
                        "region-executor-us-east-1",
                        "region-executor-us-west-2",
                        "replication-tracker",
                        "backup-scheduler",
                        "notifier",
                        "health-monitor-us-east-2a");

        // The image's entrypoint, not the service, reads the JVM's options.
        boolean imageReadsJavaOpts =
                Files.readString(HOME.resolve("Dockerfile")).contains("${JAVA_OPTS:-");
        // a credential the plan names as env:NAME or ${NAME} is read by the notifier (or tracker) that resolves it
        Set<String> planReferences = new HashSet<>();
        Matcher reference = Pattern.compile("(?:env:|\\$\\{)([A-Z][A-Z0-9_]*)")
                .matcher(Files.readString(HOME.resolve("examples/two-region-shop.yml")));
        while (reference.find()) {
            planReferences.add(reference.group(1));
        }
        int checked = 0;
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            Map<String, Object> build = (Map<String, Object>) service.getValue().get("build");
            if (build == null) {
                continue;
            }
            Map<String, Object> args = (Map<String, Object>) build.get("args");
            String module = String.valueOf(args.get("MODULE"));
            String mainClass = String.valueOf(args.get("MAIN_CLASS"));
            assertThat(HOME.resolve(module).resolve("pom.xml"))
                    .as(service.getKey() + " builds a module of this repository")
                    .isRegularFile();
            assertThat(HOME.resolve(module).resolve("src/main/java").resolve(mainClass.replace('.', '/') + ".java"))
                    .as(service.getKey() + "'s main class")
                    .isRegularFile();

            Set<String> read = propertiesRead(module);
            Map<String, Object> environment =
                    (Map<String, Object>) service.getValue().getOrDefault("environment", Map.of());
            for (String variable : environment.keySet()) {
                boolean known = AWS_SDK.contains(variable)
                        || variable.equals("LOG_FORMAT")
                        || variable.equals("LOG_LEVEL")
                        || (variable.equals("JAVA_OPTS") && imageReadsJavaOpts)
                        || read.contains(normal(variable))
                        || planReferences.contains(variable);
                assertThat(known)
                        .as("%s sets %s, which %s does not read", service.getKey(), variable, module)
                        .isTrue();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(40);
        assertThat(Files.readString(HOME.resolve("service-runtime/src/main/resources/logback.xml")))
                .contains("${LOG_FORMAT:-json}")
                .contains("${LOG_LEVEL:-INFO}");
    }

    @Test
    void shouldCatchAVariableNoServiceReads() {
        assertThat(propertiesRead("region-executor"))
                .contains(
                        normal("DRPLANE_REGION"),
                        normal("DRPLANE_DRY_RUN"),
                        normal("DRPLANE_INSTANCE"),
                        normal("KAFKA_BOOTSTRAP_SERVERS"),
                        normal("DRPLANE_PLAN"))
                .doesNotContain(normal("DRPLANE_REGOIN"), normal("DRPLANE_API_TOKENS"));
    }

    /** Micronaut maps DRPLANE_DRY_RUN to drplane.dry-run, drplane.dry.run...: compare without separators. */
    private static String normal(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[._\\-]", "");
    }

    private static Set<String> propertiesRead(String module) {
        Set<String> read = new HashSet<>();
        Stream.concat(Stream.of(module), LIBRARIES.stream())
                .map(m -> HOME.resolve(m).resolve("src/main/java"))
                .filter(Files::isDirectory)
                .forEach(dir -> {
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.filter(f -> f.toString().endsWith(".java")).forEach(f -> collect(f, read));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        return read;
    }

    private static void collect(Path file, Set<String> read) {
        String source;
        try {
            source = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher placeholder = PLACEHOLDER.matcher(source);
        while (placeholder.find()) {
            read.add(normal(placeholder.group(1)));
        }
        Matcher defaults = Pattern.compile("Map\\.entry\\(\"([a-z0-9.\\-]+)\"").matcher(source);
        while (defaults.find()) {
            read.add(normal(defaults.group(1)));
        }
        Matcher configuration = CONFIGURATION.matcher(source);
        if (configuration.find()) {
            Matcher setter = SETTER.matcher(source);
            while (setter.find()) {
                read.add(normal(configuration.group(1) + setter.group(1)));
            }
        }
    }
}
