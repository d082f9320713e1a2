# Shared by bench/restart-latency and bench/idle-cost. Sourced, not run.
# shellcheck shell=bash

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$BENCH_DIR/.." && pwd)
VIGIL="$TOP/bin/vigil"

# A JDK 25: JAVA_HOME if it is one, else the Temurin 25 this project uses.
if [[ -z ${JAVA_HOME:-} || ! -x ${JAVA_HOME}/bin/java ]] || ! grep -q '^JAVA_VERSION="2[5-9]' "$JAVA_HOME/release" 2>/dev/null; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="$JAVA_HOME/bin/java"

say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# monit and supervisord from Debian's packages (apt-get needs root; the packages' own services are not started).
ensure_peers() {
    local missing=()
    command -v monit >/dev/null || missing+=(monit)
    command -v supervisord >/dev/null || missing+=(supervisor)
    if ((${#missing[@]})); then
        [[ $(id -u) == 0 ]] || die "needs ${missing[*]}: run as root once, or apt-get install ${missing[*]}"
        say "installing ${missing[*]} with apt-get"
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 \
            || die "apt-get install ${missing[*]} failed"
    fi
}

ensure_vigil() {
    if [[ ! -f $TOP/target/vigil.jar ]]; then
        say "building Vigil (./mvnw -q -B -DskipTests package)"
        (cd "$TOP" && ./mvnw -q -B -DskipTests package) >&2 || die "build failed"
    fi
}

# Does this Vigil accept `stable_after`? (probe once with check-config)
vigil_accepts() { # KEY VALUE
    local d; d=$(mktemp -d)
    printf 'state_dir = "%s/state"\n[service.probe]\ncommand = ["/bin/sleep", "1"]\n%s = %s\n' "$d" "$1" "$2" >"$d/probe.toml"
    if "$VIGIL" -c "$d/probe.toml" check-config >/dev/null 2>&1; then rm -rf "$d"; return 0; fi
    rm -rf "$d"; return 1
}

# A number N such that no process on the machine runs "/bin/sleep N..." with it as a prefix: the command lines
# the benchmark creates are its own, even on a shared machine.
unique_base() { # DIGITS-ABOVE (e.g. 1000 for N*1000+i)
    local base
    while :; do
        base=$(( (RANDOM * 32768 + RANDOM) % 90000 + 10000 ))
        if ! grep -qaP "^/bin/sleep\\x00${base}" /proc/[0-9]*/cmdline 2>/dev/null; then echo "$base"; return; fi
    done
}

# Pids of live processes whose command line starts with "/bin/sleep BASE" (one grep over /proc, no fork per pid).
pids_of_sleep() { # BASE
    grep -laP "^/bin/sleep\\x00$1" /proc/[0-9]*/cmdline 2>/dev/null | sed 's#^/proc/##; s#/cmdline$##'
}

# Waits until the file contains the text, up to N seconds.
wait_for_text() { # FILE TEXT SECONDS
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -q -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
