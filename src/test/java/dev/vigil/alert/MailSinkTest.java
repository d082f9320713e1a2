package dev.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MailSinkTest {
    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private MailSink sink(MailSink.StartTls startTls) {
        return new MailSink(
                "127.0.0.1",
                GREENMAIL.getSmtp().getPort(),
                startTls,
                Optional.empty(),
                "vigil@host1.example",
                List.of("oncall@example.org", "ops@example.org"),
                Duration.ofSeconds(5));
    }

    @Test
    void restarted_subjectAndBodySayWhatHappenedAndWhatToDo() throws Exception {
        assertThat(sink(MailSink.StartTls.NONE).deliver(WebhookSinkTest.restarted()))
                .isEqualTo(new Delivery.Delivered());

        assertThat(GREENMAIL.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage message = GREENMAIL.getReceivedMessages()[0];
        assertThat(message.getSubject()).isEqualTo("[vigil] web on host1: restarted (died: pid 4242 exited)");
        assertThat(message.getFrom()[0].toString()).isEqualTo("vigil@host1.example");
        String body = GreenMailUtil.getBody(message);
        assertThat(body)
                .contains("Host:          host1")
                .contains("Service:       web")
                .contains("ServiceRestarted (warning, firing)")
                .contains("What happened: restarted (died: pid 4242 exited)")
                .contains("Details:       exit status 1")
                .contains("What Vigil did: Vigil restarted it")
                .contains("Since:         2026-12-01")
                .contains("vigil events web");
    }

    @Test
    void resolved_saysSo() throws Exception {
        Alert down = Alert.firing(AlertName.SERVICE_DOWN, "web", "host1", "down", "", Instant.now());
        assertThat(sink(MailSink.StartTls.OPTIONAL).deliver(down.resolvedAt(Instant.now())))
                .isEqualTo(new Delivery.Delivered());

        assertThat(GREENMAIL.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage message = GREENMAIL.getReceivedMessages()[0];
        assertThat(message.getSubject()).isEqualTo("[vigil] web on host1: resolved: down");
        assertThat(GreenMailUtil.getBody(message)).contains("resolved").contains("Resolved at:");
    }

    @Test
    void startTlsRequired_againstAServerWithoutIt_failsRetryableAndSaysWhy() {
        Delivery result = sink(MailSink.StartTls.REQUIRED).deliver(WebhookSinkTest.restarted());

        assertThat(result).isInstanceOfSatisfying(Delivery.Failed.class, f -> {
            assertThat(f.retryable()).isTrue();
            assertThat(f.why())
                    .contains("SMTP 127.0.0.1:" + GREENMAIL.getSmtp().getPort())
                    .contains("STARTTLS is required");
        });
        assertThat(GREENMAIL.getReceivedMessages()).isEmpty();
    }
}
