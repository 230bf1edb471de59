package io.drplane.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.drplane.notifier.NotifierPlans;
import io.drplane.notifier.TestEvents;
import io.drplane.notifier.alert.AlertBook;
import io.drplane.notifier.alert.Dispatch;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * E-mail through a real SMTP server (GreenMail): subject, a text and an HTML part, and the resolve threaded under the
 * first message with {@code In-Reply-To} and {@code References}.
 */
class EmailChannelIT {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP);

    @Test
    void shouldMailTheAlertAndThreadItsResolveUnderIt() throws Exception {
        Plan plan = PlanLoader.parse(
                NotifierPlans.shop(
                        "https://hooks.example.com/x",
                        "cloudevents",
                        "      - { name: mail, channel: email, to: [oncall@example.com], events: [failover.*], groupWait: 0s, groupInterval: 1s }\n"),
                "shop.yml");
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(SMTP.getSmtp().getPort()));
        EmailChannel mail = new EmailChannel(
                "mail",
                Session.getInstance(props),
                new InternetAddress("drplane@example.com"),
                List.of("oncall@example.com"),
                new Links(Optional.of(URI.create("https://drplane.example.com"))),
                Clock.fixed(TestEvents.T0, ZoneOffset.UTC));
        AlertBook book = new AlertBook(plan);
        book.observe(TestEvents.held("e1"), TestEvents.T0);
        Dispatch first = only(book.due(TestEvents.T0), "mail");
        mail.send(first);
        book.delivered(first, true);
        book.observe(TestEvents.completed("e3", 4), TestEvents.T0.plusSeconds(5));
        Dispatch resolve = only(book.due(TestEvents.T0.plusSeconds(5)), "mail");
        mail.send(resolve);

        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(2);
        MimeMessage opening = received[0];
        MimeMessage answer = received[1];
        assertThat(opening.getSubject()).isEqualTo("[drplane] shop: failover/shop");
        assertThat(opening.getAllRecipients()[0].toString()).isEqualTo("oncall@example.com");
        Multipart parts = (Multipart) opening.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat((String) parts.getBodyPart(0).getContent())
                .startsWith("[FIRING:1] shop: failover us-east-1 → us-west-2 held, a person must decide")
                .contains("APPROVAL_REQUIRED: every safety rule passed; the group is in approval mode.")
                .contains("https://drplane.example.com/groups/shop");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat((String) parts.getBodyPart(1).getContent())
                .contains("<code>APPROVAL_REQUIRED</code>")
                .contains("<a href=\"https://drplane.example.com/groups/shop\">");

        String threadId = opening.getMessageID();
        assertThat(threadId).matches("<[0-9a-f]{16}@drplane>");
        assertThat(answer.getSubject()).isEqualTo("Re: [drplane] shop: failover/shop");
        assertThat(answer.getMessageID()).isNotEqualTo(threadId);
        assertThat(answer.getHeader("In-Reply-To", null)).isEqualTo(threadId);
        assertThat(answer.getHeader("References", null)).isEqualTo(threadId);
        assertThat((String) ((Multipart) answer.getContent()).getBodyPart(0).getContent())
                .startsWith("[RESOLVED] shop: failover to us-west-2 completed in 4s")
                .contains("RPO: 250ms (objective 1m)");
    }

    private static Dispatch only(List<Dispatch> dispatches, String route) {
        return dispatches.stream()
                .filter(d -> d.route().name().equals(route))
                .findFirst()
                .orElseThrow();
    }
}
