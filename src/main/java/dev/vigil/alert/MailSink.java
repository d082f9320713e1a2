package dev.vigil.alert;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/** Mail over SMTP (Angus Mail): one plain-text message per alert state, to every address in {@code to}. */
public final class MailSink implements Sink {
    /** Whether to upgrade the SMTP connection with STARTTLS. */
    public enum StartTls {
        /** Refuse to send unless the server offers STARTTLS (the default: credentials and alerts stay private). */
        REQUIRED,
        /** Use STARTTLS when the server offers it. */
        OPTIONAL,
        /** Plain SMTP (a local relay). */
        NONE
    }

    public record Login(String username, String password) {
        @Override
        public String toString() {
            return "Login[" + username + ", password hidden]";
        }
    }

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final String host;
    private final int port;
    private final StartTls startTls;
    private final Optional<Login> login;
    private final InternetAddress from;
    private final InternetAddress[] to;
    private final Duration timeout;
    private final Session session;

    /**
     * @param timeout for connecting, and for each read and write on the connection
     * @throws IllegalArgumentException when an address is malformed or {@code to} is empty
     */
    public MailSink(
            String host,
            int port,
            StartTls startTls,
            Optional<Login> login,
            String from,
            List<String> to,
            Duration timeout) {
        if (to.isEmpty()) {
            throw new IllegalArgumentException("a mail sink needs at least one recipient");
        }
        this.host = host;
        this.port = port;
        this.startTls = startTls;
        this.login = login;
        this.timeout = timeout;
        try {
            this.from = new InternetAddress(from, true);
            this.to = new InternetAddress[to.size()];
            for (int i = 0; i < to.size(); i++) {
                this.to[i] = new InternetAddress(to.get(i), true);
            }
        } catch (AddressException e) {
            throw new IllegalArgumentException("mail sink: bad address: " + e.getMessage(), e);
        }
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", Integer.toString(port));
        String millis = Long.toString(timeout.toMillis());
        props.put("mail.smtp.connectiontimeout", millis);
        props.put("mail.smtp.timeout", millis);
        props.put("mail.smtp.writetimeout", millis);
        props.put("mail.smtp.starttls.enable", Boolean.toString(startTls != StartTls.NONE));
        props.put("mail.smtp.starttls.required", Boolean.toString(startTls == StartTls.REQUIRED));
        props.put("mail.smtp.auth", Boolean.toString(login.isPresent()));
        this.session = Session.getInstance(props);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public StartTls startTls() {
        return startTls;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public Delivery deliver(Alert alert) {
        String server = "SMTP " + host + ":" + port;
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipients(Message.RecipientType.TO, to);
            message.setSubject(subject(alert), "UTF-8");
            message.setText(body(alert), "UTF-8");
            message.setSentDate(Date.from(alert.endsAt().orElse(alert.startsAt())));
            message.setHeader("X-Vigil-Alert", alert.dedupKey());
            if (login.isPresent()) {
                Transport.send(message, login.get().username(), login.get().password());
            } else {
                Transport.send(message);
            }
            return Delivery.delivered();
        } catch (SendFailedException e) {
            boolean rejected = e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0;
            String why = server + ": " + Http.describe(e);
            return rejected ? Delivery.reject(why) : Delivery.retry(why);
        } catch (MessagingException e) {
            String why = Http.describe(e);
            if (startTls == StartTls.REQUIRED && why.contains("STARTTLS")) {
                why = "STARTTLS is required (starttls = \"required\") but the server does not offer it: " + why;
            }
            return Delivery.retry(server + ": " + why);
        } catch (RuntimeException e) {
            return Delivery.retry(server + ": " + Http.describe(e));
        }
    }

    /** e.g. {@code [vigil] web on host1: restarted (died: pid 4242 exited)}; resolved ones say "resolved: ". */
    static String subject(Alert alert) {
        String who = alert.service().isEmpty() ? "vigil" : alert.service();
        String state = alert.status() == Alert.Status.RESOLVED ? "resolved: " : "";
        return "[vigil] " + who + " on " + alert.host() + ": " + state + alert.summary();
    }

    static String body(Alert alert) {
        boolean resolved = alert.status() == Alert.Status.RESOLVED;
        String service = alert.service().isEmpty() ? "(the Vigil daemon)" : alert.service();
        StringBuilder b = new StringBuilder();
        b.append("Host:          ").append(alert.host()).append('\n');
        b.append("Service:       ").append(service).append('\n');
        b.append("Alert:         ")
                .append(alert.name())
                .append(" (")
                .append(alert.severity().label())
                .append(resolved ? ", resolved" : ", firing")
                .append(")\n");
        b.append("What happened: ").append(alert.summary()).append('\n');
        if (!alert.description().isEmpty()) {
            b.append("Details:       ").append(alert.description()).append('\n');
        }
        if (!resolved) {
            b.append("What Vigil did: ").append(alert.action()).append('\n');
        }
        b.append("Since:         ").append(TIME.format(alert.startsAt())).append('\n');
        if (resolved) {
            alert.endsAt()
                    .ifPresent(at ->
                            b.append("Resolved at:   ").append(TIME.format(at)).append('\n'));
        }
        b.append('\n');
        String look = alert.service().isEmpty() ? "vigil events" : "vigil events " + alert.service();
        b.append("To look: on ")
                .append(alert.host())
                .append(", run `")
                .append(look)
                .append("` (history) and `vigil status` (now).\n");
        alert.labels().forEach((k, v) -> {
            if (!k.equals("action")) {
                b.append(k).append(": ").append(v).append('\n');
            }
        });
        return b.toString();
    }

    @Override
    public String toString() {
        return "mail via " + host + ":" + port + " to " + List.of(to);
    }
}
