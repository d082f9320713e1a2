package dev.vigil.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings that are not about one service.
 *
 * @param stateDir Vigil's own files: default pidfiles, identity records, later the state database
 * @param daemonPidfile where the daemon records its pid (usrsvc's [Main] pidfile)
 * @param daemonStdout the daemon's log file, when not the terminal (usrsvc's usrsvcd_stdout)
 * @param daemonStderr the daemon's error log (usrsvc's usrsvcd_stderr); equal to daemonStdout for "stdout"
 * @param sendmailPath the sendmail program for email alerts; empty = look in the usual places
 */
public record Settings(
        Path stateDir,
        Optional<Path> daemonPidfile,
        Optional<Path> daemonStdout,
        Optional<Path> daemonStderr,
        Optional<Path> sendmailPath) {}
