package io.drplane.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.coordinator.analysis.Analysis;
import io.drplane.coordinator.safety.SafetyRule;
import io.drplane.events.ReasonCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every named situation, safety rule and reason code has a golden scenario, as orchestrator keeps a test folder per
 * analysis code: a new code without one fails here, naming what is missing and where its scenario goes.
 */
class GoldenScenarioCoverageTest {

    private static final Pattern REASON_ASSERTED = Pattern.compile("ReasonCode\\.([A-Z_]+)");

    @Test
    void shouldHaveAGoldenScenarioForEveryAnalysis() throws Exception {
        Set<String> tests = testMethods("io.drplane.coordinator.decider.AnalysisScenarioTest");
        List<String> missing = new ArrayList<>();
        for (Analysis analysis : Analysis.values()) {
            String name = camelCase(analysis.name());
            if (tests.stream()
                    .noneMatch(test -> test.equals(name)
                            || test.startsWith(name) && Character.isUpperCase(test.charAt(name.length())))) {
                missing.add(analysis + " (add @Test void " + name + "...() to AnalysisScenarioTest)");
            }
        }
        assertThat(missing).as("analyses without a golden scenario").isEmpty();
    }

    @Test
    void shouldHaveAGoldenScenarioForEverySafetyRule() throws IOException {
        String scenarios =
                Files.readString(Path.of("src/test/java/io/drplane/coordinator/decider/SafetyRuleScenarioTest.java"));
        Set<String> asserted = asserted(scenarios);
        List<String> missing = new ArrayList<>();
        for (SafetyRule rule : SafetyRule.values()) {
            if (!asserted.contains(rule.code().name())) {
                missing.add(rule + " (a scenario in SafetyRuleScenarioTest asserting its refusal, ReasonCode."
                        + rule.code() + ")");
            }
        }
        assertThat(missing).as("safety rules without a golden scenario").isEmpty();
    }

    @Test
    void shouldAssertEveryReasonCodeSomewhere() throws IOException {
        Set<String> asserted = new HashSet<>();
        List<Path> tests;
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            tests = modules.map(m -> m.resolve("src/test/java"))
                    .filter(Files::isDirectory)
                    .flatMap(GoldenScenarioCoverageTest::javaFiles)
                    .toList();
        }
        assertThat(tests).as("the repository's tests").hasSizeGreaterThan(50);
        for (Path test : tests) {
            asserted.addAll(asserted(Files.readString(test)));
        }
        for (Analysis analysis : Analysis.values()) {
            asserted.add(analysis.code().name()); // an analysis's golden scenario covers its code (see above)
        }
        List<ReasonCode> missing = Arrays.stream(ReasonCode.values())
                .filter(code -> !asserted.contains(code.name()) && !NOT_EMITTED_YET.contains(code))
                .toList();
        assertThat(missing).as("reason codes no test asserts").isEmpty();
    }

    /**
     * Codes of the contract that no service emits yet (the backup scheduler's and the notifier's). As soon as main code
     * uses one, it leaves this list and needs its scenario like every other.
     */
    private static final Set<ReasonCode> NOT_EMITTED_YET = Set.of();

    @Test
    void shouldEmitNoCodeThatIsStillListedAsNotEmittedYet() throws IOException {
        List<Path> sources;
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            sources = modules.map(m -> m.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .flatMap(GoldenScenarioCoverageTest::javaFiles)
                    .filter(p -> !p.endsWith("ReasonCode.java"))
                    .toList();
        }
        for (Path source : sources) {
            String text = Files.readString(source);
            for (ReasonCode code : NOT_EMITTED_YET) {
                assertThat(text)
                        .as(source + " uses " + code + ": take it off NOT_EMITTED_YET and give it a golden scenario")
                        .doesNotContain("ReasonCode." + code.name());
            }
        }
    }

    private static Stream<Path> javaFiles(Path root) {
        try {
            return Files.walk(root).filter(p -> p.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reason codes a test source asserts: {@code ReasonCode.X} inside a statement that asserts. */
    private static Set<String> asserted(String source) {
        Set<String> codes = new HashSet<>();
        for (String line : source.split(";")) {
            if (line.contains("isEqualTo") || line.contains("contains") || line.contains("assert")) {
                Matcher m = REASON_ASSERTED.matcher(line);
                while (m.find()) {
                    codes.add(m.group(1));
                }
            }
        }
        return codes;
    }

    private static Set<String> testMethods(String className) throws ClassNotFoundException {
        Set<String> names = new HashSet<>();
        for (Method method : Class.forName(className).getDeclaredMethods()) {
            if (method.isAnnotationPresent(Test.class)) {
                names.add(method.getName());
            }
        }
        return names;
    }

    static String camelCase(String constant) {
        StringBuilder out = new StringBuilder();
        for (String part : constant.toLowerCase(Locale.ROOT).split("_")) {
            out.append(out.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }
}
