package dev.vigil.setup;

import java.util.ArrayList;
import java.util.List;

/**
 * The shell scripts setup runs on a host as root. Each is a constant given to {@code sh -c} as one quoted word, and
 * every value (user, paths, file contents, key) reaches it as a positional parameter ({@code "$1"}), never pasted
 * into script text; nothing is written to or run from a predictable path: temporary files come from {@code mktemp}
 * in the destination's own directory (so the final {@code mv} is an atomic rename) and hold data, never code.
 */
final class RemoteScripts {
    private RemoteScripts() {}

    /** {@code sh -c SCRIPT sh ARGS...} */
    static List<String> argv(String script, String... args) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        argv.addAll(List.of(args));
        return argv;
    }

    /** What setup needs to know of a host, as root: uid, systemctl and visudo paths (empty lines when missing). */
    static final String FACTS = """
            id -u
            command -v systemctl || echo
            command -v visudo || echo
            """;

    /** The address the host sees the admin session come from ($SSH_CLIENT's first word); run without sudo. */
    static final String CLIENT_ADDRESS = "printf '%s\\n' \"${SSH_CLIENT%% *}\"";

    /** $1 user, $2 home, $3 comment (setup's marker), $4 shell. */
    static final String CREATE_USER = """
            set -eu
            user=$1 home=$2 comment=$3 shell=$4
            if [ -e "$home" ] || [ -L "$home" ]; then
              echo "$home exists already: remove it or choose another [ssh] user" >&2
              exit 3
            fi
            # '*' rather than useradd's '!': no password can match either, but sshd without PAM refuses '!' (locked)
            useradd --system --user-group --no-create-home --home-dir "$home" --shell "$shell" --comment "$comment" \
              --password '*' -- "$user"
            install -d -o root -g root -m 0755 -- "$home" "$home/.ssh"
            passwd -S -- "$user"
            """;

    /** $1 user. Removes it only when its comment is setup's marker and it is a system account. */
    static final String REMOVE_USER = """
            set -eu
            user=$1 marker=$2
            entry=$(getent passwd -- "$user") || { echo absent; exit 0; }
            uid=$(printf '%s' "$entry" | cut -d: -f3)
            gecos=$(printf '%s' "$entry" | cut -d: -f5)
            home=$(printf '%s' "$entry" | cut -d: -f6)
            sysmax=$(awk '$1 == "SYS_UID_MAX" { print $2 }' /etc/login.defs 2>/dev/null || true)
            [ "$gecos" = "$marker" ] || { echo not-ours; exit 0; }
            [ "$uid" -le "${sysmax:-999}" ] || { echo not-system; exit 0; }
            userdel -- "$user"
            rm -f -- "$home/.ssh/authorized_keys"
            rmdir -- "$home/.ssh" 2>/dev/null || true
            if rmdir -- "$home" 2>/dev/null; then echo removed; else echo "removed; $home not empty, left"; fi
            """;

    /** $1 the drop-in. Exit 3 when missing; else "MODE OWNER GROUP" and the content. */
    static final String READ_FILE = """
            [ -e "$1" ] || exit 3
            stat -c '%a %U %G' -- "$1"
            cat -- "$1"
            """;

    /** $1 final path in /etc/sudoers.d, $2 content. */
    static final String INSTALL_SUDOERS = """
            set -eu
            final=$1 content=$2
            tmp=$(mktemp -- "${final%/*}/.vigil-setup.XXXXXXXX")
            trap 'rm -f -- "$tmp"' EXIT
            printf '%s' "$content" > "$tmp"
            chown root:root -- "$tmp"
            chmod 0440 -- "$tmp"
            if ! out=$(visudo -cf "$tmp" 2>&1); then
              echo "visudo -cf refused the rule: $out" >&2
              exit 4
            fi
            mv -f -- "$tmp" "$final"
            """;

    /** $1 the drop-in, $2 setup's marker line. Removes it only when it starts with the marker. */
    static final String REMOVE_SUDOERS = """
            set -eu
            [ -e "$1" ] || { echo absent; exit 0; }
            first=$(head -n 1 -- "$1")
            [ "$first" = "$2" ] || { echo not-ours; exit 0; }
            rm -f -- "$1"
            echo removed
            """;

    /** $1 home. Exit 3 when there is no authorized_keys file. */
    static final String READ_AUTHORIZED_KEYS = """
            [ -f "$1/.ssh/authorized_keys" ] || exit 3
            cat -- "$1/.ssh/authorized_keys"
            """;

    /** $1 home, $2 the line, $3 the key's base64 blob: every other line with that key is replaced by the line. */
    static final String INSTALL_KEY = """
            set -eu
            home=$1 line=$2 blob=$3
            dir=$home/.ssh
            file=$dir/authorized_keys
            [ -d "$dir" ] || install -d -o root -g root -m 0755 -- "$dir"
            tmp=$(mktemp -- "$dir/.authorized_keys.XXXXXXXX")
            trap 'rm -f -- "$tmp"' EXIT
            if [ -f "$file" ]; then
              grep -vF -- "$blob" "$file" > "$tmp" || true
              chown --reference="$file" -- "$tmp"
              chmod --reference="$file" -- "$tmp"
            else
              chown root:root -- "$tmp"
              chmod 0644 -- "$tmp"
            fi
            printf '%s\\n' "$line" >> "$tmp"
            mv -f -- "$tmp" "$file"
            """;

    /** $1 home, $2 blob: the lines with that key go; a file left empty goes too. */
    static final String REMOVE_KEY = """
            set -eu
            home=$1 blob=$2
            file=$home/.ssh/authorized_keys
            [ -f "$file" ] || { echo absent; exit 0; }
            grep -qF -- "$blob" "$file" || { echo absent; exit 0; }
            tmp=$(mktemp -- "$home/.ssh/.authorized_keys.XXXXXXXX")
            trap 'rm -f -- "$tmp"' EXIT
            grep -vF -- "$blob" "$file" > "$tmp" || true
            if [ -s "$tmp" ]; then
              chown --reference="$file" -- "$tmp"
              chmod --reference="$file" -- "$tmp"
              mv -f -- "$tmp" "$file"
              echo removed
            else
              rm -f -- "$file"
              echo removed-file
            fi
            """;
}
