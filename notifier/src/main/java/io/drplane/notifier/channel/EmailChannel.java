package io.drplane.notifier.channel;

import io.drplane.notifier.alert.AlertView;
import io.drplane.notifier.alert.Dispatch;
import io.drplane.notifier.delivery.DeliveryException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * E-mail over SMTP (Jakarta Mail, Angus): a text and an HTML part, and threading: the first message about an alert
 * gets a {@code Message-ID} made from the event that opened it, and every later one (updates, the resolve) answers it
 * with {@code In-Reply-To} and {@code References}, so a mail client shows an alert's story as one thread.
 */
public final class EmailChannel implements Channel {

    private final String route;
    private final Session session;
    private final InternetAddress from;
    private final List<String> to;
    private final Links links;
    private final Clock clock;

    public EmailChannel(
            String route, Session session, InternetAddress from, List<String> to, Links links, Clock clock) {
        this.route = route;
        this.session = session;
        this.from = from;
        this.to = List.copyOf(to);
        this.links = links;
        this.clock = clock;
    }

    @Override
    public void send(Dispatch dispatch) throws DeliveryException {
        try {
            Transport.send(message(dispatch));
        } catch (SendFailedException e) {
            // addresses the server refused: sending again will not help
            throw DeliveryException.permanentFailure(
                    destination() + ": the server refused the recipients: " + e.getMessage());
        } catch (MessagingException e) {
            throw DeliveryException.transientFailure(
                    destination() + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    MimeMessage message(Dispatch dispatch) throws MessagingException {
        AlertView lead = dispatch.lead();
        String thread = threadId(lead);
        boolean opening = lead.firing() && dispatch.eventIds().contains(lead.openedBy());
        String messageId =
                opening ? thread : "<" + WebhookChannel.messageId(dispatch) + "." + clock.millis() + "@drplane>";
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(from);
        for (String address : to) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(address));
        }
        message.setSubject((opening ? "" : "Re: ") + "[drplane] " + lead.group() + ": " + lead.key(), "UTF-8");
        message.setSentDate(Date.from(clock.instant()));
        if (!opening) {
            message.setHeader("In-Reply-To", thread);
            message.setHeader("References", thread);
        }
        MimeBodyPart text = new MimeBodyPart();
        text.setText(text(dispatch), "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent(html(dispatch), "text/html; charset=UTF-8");
        message.setContent(new MimeMultipart("alternative", text, html));
        message.saveChanges();
        return message;
    }

    /** One thread per alert and route, stable across restarts. */
    private String threadId(AlertView alert) {
        return "<" + WebhookChannel.fingerprint(route + "|" + alert.key() + "|" + alert.openedBy()) + "@drplane>";
    }

    String text(Dispatch dispatch) {
        StringBuilder body = new StringBuilder(Texts.headline(dispatch)).append("\n\n");
        for (AlertView alert : dispatch.alerts()) {
            body.append(alert.firing() ? alert.severity().name() : "RESOLVED")
                    .append(": ")
                    .append(alert.title())
                    .append('\n');
            if (!alert.reasonCode().isEmpty()) {
                body.append(alert.reasonCode()).append(": ");
            }
            body.append(alert.sentence()).append('\n');
            for (Map.Entry<String, String> detail : alert.details().entrySet()) {
                body.append("  ")
                        .append(detail.getKey())
                        .append(": ")
                        .append(detail.getValue())
                        .append('\n');
            }
            body.append('\n');
        }
        links.group(dispatch.group()).ifPresent(url -> body.append(url).append('\n'));
        return body.toString();
    }

    String html(Dispatch dispatch) {
        StringBuilder body = new StringBuilder("<html><body><h2>")
                .append(escape(Texts.headline(dispatch)))
                .append("</h2>");
        for (AlertView alert : dispatch.alerts()) {
            body.append("<h3>")
                    .append(alert.firing() ? escape(alert.severity().name()) : "RESOLVED")
                    .append(": ")
                    .append(escape(alert.title()))
                    .append("</h3><p>");
            if (!alert.reasonCode().isEmpty()) {
                body.append("<code>").append(escape(alert.reasonCode())).append("</code> ");
            }
            body.append(escape(alert.sentence())).append("</p><table>");
            alert.details().forEach((name, value) -> body.append("<tr><th align=\"left\">")
                    .append(escape(name))
                    .append("</th><td>")
                    .append(escape(value))
                    .append("</td></tr>"));
            body.append("</table>");
        }
        links.group(dispatch.group()).ifPresent(url -> body.append("<p><a href=\"")
                .append(escape(url))
                .append("\">")
                .append(escape(dispatch.group()))
                .append(" in drplane</a></p>"));
        return body.append("</body></html>").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    @Override
    public double perSecond() {
        return 5;
    }

    @Override
    public String destination() {
        return "e-mail route " + route;
    }
}
