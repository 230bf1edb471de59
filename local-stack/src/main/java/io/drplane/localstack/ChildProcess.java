package io.drplane.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One process of the local stack. Its output goes to a log file; it is ready when it prints its own
 * readiness line (no polling, no sleeping). Stopping it stops its descendants too, so nothing is orphaned.
 */
final class ChildProcess {

    private final String name;
    private final ProcessBuilder builder;
    private final Process process;
    private final Path log;
    private final String readyMarker;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private ChildProcess(String name, ProcessBuilder builder, Path log, String readyMarker, boolean appendToLog)
            throws IOException {
        this.name = name;
        this.builder = builder;
        this.process = builder.start();
        this.log = log;
        this.readyMarker = readyMarker;
        Thread pump = new Thread(() -> pump(appendToLog), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    static ChildProcess start(
            String name, List<String> command, Map<String, String> env, Path workDir, Path log, String readyMarker) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder =
                    new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(env);
            return new ChildProcess(name, builder, log, readyMarker, false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    /** The same command started again (after {@link #kill()}), writing on at the end of the same log. */
    ChildProcess startAgain() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") is still running");
        }
        try {
            return new ChildProcess(name, builder, log, readyMarker, true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " again: " + e.getMessage(), e);
        }
    }

    /** Kills the process and its descendants at once (SIGKILL), as a crash, an OOM kill or a lost host would. */
    void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Waits for the readiness line; fails with the end of the log if the process exits or takes too long. */
    void awaitReady(Duration timeout) {
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    name + " exited before it was ready (" + e.getCause().getMessage() + "); see " + log + ":\n"
                            + tail(15),
                    e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    name + " was not ready within " + timeout.toSeconds() + " s; see " + log + ":\n" + tail(15), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** Asks the process and its descendants to stop (SIGTERM), then forces them after the grace period. */
    void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private void pump(boolean appendToLog) {
        OpenOption[] mode = appendToLog
                ? new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.APPEND}
                : new OpenOption[0];
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintStream out = new PrintStream(Files.newOutputStream(log, mode), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (!ready.isDone() && line.contains(readyMarker)) {
                    ready.complete(null);
                }
            }
            ready.completeExceptionally(new IllegalStateException("exit code " + process.waitFor()));
        } catch (IOException e) {
            ready.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ready.completeExceptionally(e);
        }
    }
}
