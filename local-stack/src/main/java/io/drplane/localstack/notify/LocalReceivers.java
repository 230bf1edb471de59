package io.drplane.localstack.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where the local stack's notifications land, so a newcomer sees the page and the resolve a game day causes: one
 * loopback HTTP server that answers as Slack's incoming webhooks ({@code /slack/...}), PagerDuty's Events API
 * ({@code /pagerduty/v2/enqueue}) and a generic webhook ({@code /webhook/...}) do, and an SMTP server (GreenMail).
 * Everything received is kept, served at {@code GET /received} and appended to a file {@code ./drplane notifications}
 * prints.
 */
public final class LocalReceivers implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One notification as it arrived: which receiver, a one-line summary, and the body as sent. */
    public record Received(Instant at, String channel, String summary, String body) {}

    private final HttpServer http;
    private final GreenMail smtp;
    private final int smtpPort;
    private final Path log;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService mailPoller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "local-smtp-poller");
        thread.setDaemon(true);
        return thread;
    });
    private int mailsSeen;

    public LocalReceivers(Path log) {
        this.log = log;
        try {
            Files.createDirectories(log.getParent());
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.createContext("/slack/", exchange -> receive(exchange, "slack", 200, "ok"));
        http.createContext(
                "/pagerduty/v2/enqueue",
                exchange -> receive(
                        exchange, "pagerduty", 202, "{\"status\":\"success\",\"message\":\"Event processed\"}"));
        http.createContext("/webhook/", exchange -> receive(exchange, "webhook", 204, ""));
        http.createContext("/received", this::list);
        http.start();
        smtpPort = freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        mailPoller.scheduleWithFixedDelay(this::collectMail, 200, 200, TimeUnit.MILLISECONDS);
    }

    public URI httpBase() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    public int smtpPort() {
        return smtpPort;
    }

    /** What arrived so far, oldest first (e-mail within a fraction of a second). */
    public List<Received> received() {
        collectMail();
        return List.copyOf(received);
    }

    private void receive(HttpExchange exchange, String channel, int status, String answer) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            record(new Received(Instant.now(), channel, summary(channel, body), body));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    static String summary(String channel, String body) {
        try {
            JsonNode json = JSON.readTree(body);
            return switch (channel) {
                case "slack" -> json.path("text").asText();
                case "pagerduty" -> json.path("event_action").asText() + " "
                        + json.path("dedup_key").asText()
                        + (json.has("payload")
                                ? " (" + json.at("/payload/severity").asText() + "): "
                                        + json.at("/payload/summary").asText()
                                : "");
                default -> json.has("specversion")
                        ? json.path("type").asText() + " "
                                + json.path("subject").asText()
                        : json.isArray()
                                ? json.size() + " CloudEvents: " + cloudEvents(json)
                                : json.path("status").asText() + " "
                                        + json.at("/alerts/0/annotations/summary")
                                                .asText();
            };
        } catch (IOException e) {
            return body.length() > 120 ? body.substring(0, 120) + "…" : body;
        }
    }

    private static String cloudEvents(JsonNode batch) {
        StringBuilder text = new StringBuilder();
        for (JsonNode event : batch) {
            text.append(text.length() == 0 ? "" : ", ")
                    .append(event.path("type").asText())
                    .append(' ')
                    .append(event.path("subject").asText());
        }
        return text.toString();
    }

    private synchronized void collectMail() {
        MimeMessage[] messages = smtp.getReceivedMessages();
        for (; mailsSeen < messages.length; mailsSeen++) {
            try {
                MimeMessage message = messages[mailsSeen];
                String to = message.getAllRecipients() == null ? "" : message.getAllRecipients()[0].toString();
                record(new Received(
                        message.getSentDate() == null
                                ? Instant.now()
                                : message.getSentDate().toInstant(),
                        "email",
                        "to " + to + ": " + message.getSubject(),
                        ""));
            } catch (MessagingException e) {
                record(new Received(Instant.now(), "email", "unreadable message: " + e.getMessage(), ""));
            }
        }
    }

    private void record(Received r) {
        received.add(r);
        try {
            Files.writeString(
                    log,
                    JSON.writeValueAsString(
                                    Map.of("at", r.at().toString(), "channel", r.channel(), "summary", r.summary()))
                            + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the in-memory list still has it; the file is for the operator's eyes only
        }
    }

    private void list(HttpExchange exchange) throws IOException {
        try (exchange) {
            ArrayNode all = JSON.createArrayNode();
            for (Received r : received()) {
                all.addObject()
                        .put("at", r.at().toString())
                        .put("channel", r.channel())
                        .put("summary", r.summary());
            }
            byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        mailPoller.shutdownNow();
        http.stop(0);
        smtp.stop();
    }
}
