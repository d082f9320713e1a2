package dev.vigil.install;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A systemd unit that runs {@code vigil daemon}: which kind, the launcher it starts and, optionally, the JDK the
 * launcher should use. {@link #render()} gives the unit file's text, the same for the same values (no date in it), so
 * an unchanged unit is recognised as unchanged.
 *
 * @param launcher bin/vigil as installed: absolute, since systemd starts ExecStart= with / as working directory
 * @param javaHome a JDK 25 for {@code VIGIL_JAVA_HOME}; empty lets the launcher look for one
 */
public record VigilUnit(UnitKind kind, Path launcher, Optional<Path> javaHome) {
    /** Besides letters and digits, what a path may hold: nothing here is unit file syntax. */
    private static final String SAFE_PUNCTUATION = " ._+/@:,~=-";

    private static final String SYSTEM_HEADER = """
            # vigil.service: the Vigil daemon for this host, run as root by the system manager.
            # Configuration: /etc/vigil/vigil.toml; after editing it, run: systemctl reload vigil
            """;
    private static final String USER_HEADER = """
            # vigil.service (user unit): the Vigil daemon of one account, run by its user manager.
            # Configuration: ~/.config/vigil/vigil.toml; after editing it: systemctl --user reload vigil
            # Without lingering (run `loginctl enable-linger $USER` once), the user manager, and with it
            # Vigil and every service Vigil started, runs only while the account is logged in.
            """;
    private static final String TEMPLATE_HEADER = """
            # vigil@.service: one Vigil daemon per account, like usrsvcd@.service. vigil@alice runs as
            # alice with ~alice/.config/vigil/vigil.toml. Start one and keep it across boots with
            #   systemctl enable --now vigil@alice
            # and after editing its configuration: systemctl reload vigil@alice
            """;
    private static final String SYSTEM_ORDERING = """
            # Vigil checks network services and sends alerts: start it once the network is up.
            After=network-online.target
            Wants=network-online.target
            """;
    private static final String USER_ORDERING = """
            # network-online.target is a system unit, which a user manager cannot see: this orders nothing
            # here. With lingering, the user manager starts at boot, possibly before the network is up.
            After=network-online.target
            """;
    private static final String START_LIMIT = """
            # A watchdog must not give up on itself: systemd's default stops restarting after 5 starts in
            # 10 s, which RestartSec=2s reaches while, say, a JDK upgrade is half done.
            StartLimitIntervalSec=0
            """;
    private static final String KILL_AND_RESTART = """
            # Services Vigil starts run in their own session (setsid), but they stay in this unit's control
            # group: setsid changes the session, not the cgroup. With the default KillMode=control-group,
            # stopping or restarting Vigil (systemctl stop, an upgrade, Restart= after a crash) would kill
            # every one of them. KillMode=process signals the Vigil daemon alone; the services keep running,
            # and the next Vigil finds them again by pidfile and process identity.
            KillMode=process
            Restart=on-failure
            RestartSec=2s
            # The services share this cgroup, so they count against its task limit; the default (a share of
            # the host's pid limit) could stop them forking. Memory and CPU limits are left off for the same
            # reason.
            TasksMax=infinity
            """;
    private static final String HARDENING = """
            # Hardening. Every process Vigil starts inherits this unit's sandbox, so a setting here binds all
            # the services and check commands too, which were written for an ordinary system. Left off on
            # purpose:
            # - NoNewPrivileges=yes: would break sudo, su, ping and every setuid or file-capability program
            #   in every service. "no" is the default; it is spelled out so that nobody turns it on unawares.
            # - ProtectSystem=, ProtectHome=, ReadOnlyPaths=: services write under /etc, /var and /home.
            # - PrivateTmp=: services would get a /tmp of their own and lose the files and sockets others
            #   share there.
            # - PrivateDevices=, ProtectKernelTunables=, ProtectControlGroups=, RestrictNamespaces=,
            #   CapabilityBoundingSet=, SystemCallFilter=: each takes away something a service may need
            #   (devices, sysctl, containers, capabilities); as root, Vigil signals processes of other
            #   accounts (CAP_KILL) and runs start scripts such as invoke-rc.d that need all of root's powers.
            # - MemoryDenyWriteExecute=: the JVM's JIT compiler writes code at run time.
            # - OOMScoreAdjust=, Nice=, UMask=, LimitNOFILE=: inherited, so they would change every service.
            NoNewPrivileges=no
            """;

    public VigilUnit {
        launcher = checkedPath("launcher", launcher);
        javaHome = javaHome.map(home -> checkedPath("JDK", home));
    }

    /** The unit file's text. */
    public String render() {
        StringBuilder unit = new StringBuilder();
        unit.append(
                switch (kind) {
                    case SYSTEM -> SYSTEM_HEADER;
                    case USER -> USER_HEADER;
                    case TEMPLATE -> TEMPLATE_HEADER;
                });
        unit.append("#\n# Generated by `vigil install systemd`. Do not edit: regenerating, with\n#   ")
                .append(regenerateCommand())
                .append("\n# replaces this file. Put local settings in a drop-in instead (systemctl")
                .append(userFlag())
                .append(" edit ")
                .append(kind == UnitKind.TEMPLATE ? "vigil@.service" : "vigil")
                .append("),\n# which regenerating leaves alone. docs/systemd.md explains every line.\n");

        unit.append("\n[Unit]\nDescription=Vigil service watchdog")
                .append(kind == UnitKind.TEMPLATE ? " for %i" : "")
                .append('\n')
                .append(kind == UnitKind.USER ? USER_ORDERING : SYSTEM_ORDERING)
                .append(START_LIMIT);

        unit.append(
                        "\n[Service]\n# `vigil daemon` stays in the foreground and logs to stderr, which goes to the journal\n")
                .append("# (journalctl")
                .append(userFlag())
                .append(" -u ")
                .append(kind == UnitKind.TEMPLATE ? "vigil@alice" : "vigil")
                .append("). It does not use sd_notify, hence Type=simple.\nType=simple\n");
        if (kind == UnitKind.TEMPLATE) {
            unit.append("# With User=, the account's primary group, HOME, USER, LOGNAME and SHELL come along.\n")
                    .append("User=%i\n");
        }
        unit.append("ExecStart=").append(word(launcher)).append(" daemon\n");
        unit.append("# SIGHUP makes Vigil re-read its configuration; a bad one is reported, the last good one kept.\n")
                .append("ExecReload=/bin/kill -HUP $MAINPID\n");
        javaHome.ifPresent(home -> unit.append("# The JDK the launcher runs Vigil with (else JAVA_HOME, else the")
                .append(" newest 25+ under /usr/lib/jvm).\nEnvironment=")
                .append(word("VIGIL_JAVA_HOME=" + home))
                .append('\n'));
        unit.append(KILL_AND_RESTART).append(HARDENING);

        unit.append("\n[Install]\nWantedBy=").append(kind.wantedBy()).append('\n');
        return unit.toString();
    }

    /** The command that writes this unit again (after moving Vigil, or to undo hand edits). */
    public String regenerateCommand() {
        List<String> words = new ArrayList<>(List.of(word(launcher), "install", "systemd"));
        if (!kind.flag().isEmpty()) {
            words.add(kind.flag());
        }
        words.add("--launcher");
        words.add(word(launcher));
        javaHome.ifPresent(home -> {
            words.add("--java-home");
            words.add(word(home));
        });
        words.add("--force");
        return String.join(" ", words);
    }

    private String userFlag() {
        return kind == UnitKind.USER ? " --user" : "";
    }

    /** One word of a unit file line: quoted when it holds a space (only safe characters get this far). */
    private static String word(Object value) {
        String text = value.toString();
        return text.contains(" ") ? "\"" + text + "\"" : text;
    }

    /**
     * An absolute path made only of characters that mean nothing to systemd's unit syntax, where % starts a specifier,
     * $ a variable, \ an escape and quotes a word.
     */
    static Path checkedPath(String what, Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(what + " path must be absolute (systemd starts units in /), found \""
                    + path + "\"; did you mean " + path.toAbsolutePath().normalize() + "?");
        }
        String text = path.normalize().toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isLetterOrDigit(c) && SAFE_PUNCTUATION.indexOf(c) < 0) {
                throw new IllegalArgumentException(what + " path \"" + text + "\" contains '" + c + "', which a"
                        + " systemd unit file would read as syntax; use a path of letters, digits, spaces and"
                        + " . _ + / @ : , ~ = -");
            }
        }
        return path.normalize();
    }
}
