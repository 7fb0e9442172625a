#!/usr/bin/env bash
# Start/stop a real Bacula 9.6 Director and File Daemon (Debian packages) on
# loopback, for use as a wire-protocol test peer.
#
#   .ci/bacula-peer.sh start DIR   install packages if needed, write config
#                                  into DIR, start bacula-dir and bacula-fd
#   .ci/bacula-peer.sh stop DIR    stop the daemons started for DIR
#
# Environment:
#   BACULA_DIR_PORT   director port (default 8101)
#   BACULA_FD_PORT    file daemon port (default 8102)
#   BACULA_WAIT_SECS  how long to wait for the ports (default 30)
#
# Everything listens on 127.0.0.1 only, TLS is off. Names and passwords:
#   Director bacula-dir, password dirsecret (default console)
#   Console  admin, password adminsecret (all ACLs = *all*)
#   FD       bacula-fd, its Director resource bacula-dir / fdsecret
set -euo pipefail

DIR_PORT="${BACULA_DIR_PORT:-8101}"
FD_PORT="${BACULA_FD_PORT:-8102}"
WAIT_SECS="${BACULA_WAIT_SECS:-30}"

PACKAGES=(bacula-director bacula-director-sqlite3 bacula-fd bacula-console sqlite3)
MAKE_TABLES=/usr/share/bacula-director/make_sqlite3_tables

log() { echo "bacula-peer: $*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    echo "usage: $0 {start|stop} DIR" >&2
    exit 2
}

have_packages() {
    [[ -x /usr/sbin/bacula-dir && -x /usr/sbin/bacula-fd && -x /usr/sbin/bconsole \
       && -r "$MAKE_TABLES" ]] && command -v sqlite3 >/dev/null 2>&1
}

install_packages() {
    if have_packages; then
        return 0
    fi
    [[ $(id -u) -eq 0 ]] || die "packages missing and not running as root: ${PACKAGES[*]}"
    log "installing ${PACKAGES[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # No system-wide catalog: the peer creates its own sqlite catalog in DIR.
    debconf-set-selections <<'EOF'
bacula-director-sqlite3 bacula-director-sqlite3/dbconfig-install boolean false
bacula-director-sqlite3 bacula-director-sqlite3/dbconfig-reinstall boolean false
bacula-director-sqlite3 bacula-director-sqlite3/dbconfig-upgrade boolean false
bacula-director-sqlite3 bacula-director-sqlite3/database-type select sqlite3
EOF
    # Keep the packaged services (and the MTA pulled in via mailx) from
    # starting during installation; the peer runs its own processes.
    local policy=/usr/sbin/policy-rc.d created_policy=0
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        created_policy=1
    fi
    local rc=0
    {
        apt-get update -q &&
        apt-get install -y -q --no-install-recommends \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            "${PACKAGES[@]}"
    } || rc=$?
    if [[ $created_policy -eq 1 ]]; then
        rm -f "$policy"
    fi
    [[ $rc -eq 0 ]] || die "apt-get failed (exit $rc)"
    have_packages || die "packages installed but binaries not found"
}

port_open() {
    # bash /dev/tcp: succeeds when something accepts on 127.0.0.1:$1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Print the pid recorded in DIR/$1.pid if that process is still ours.
live_pid() {
    local pidfile="$WORKDIR/$1.pid" pid
    [[ -r $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ -r /proc/$pid/cmdline ]] || return 1
    # Only accept the process if its command line names our config file.
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$WORKDIR/$1.conf" || return 1
    echo "$pid"
}

# Waits up to $2 tenths of a second for process $1 to end; fails while it still runs.
wait_gone() {
    local pid=$1 tries=$2 i
    for ((i = 0; i < tries; i++)); do
        [[ -e /proc/$pid ]] || return 0
        sleep 0.1
    done
    [[ ! -e /proc/$pid ]]
}

stop_one() {
    local name=$1 pid
    if pid=$(live_pid "$name"); then
        log "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        if ! wait_gone "$pid" 50; then
            log "$name did not exit, sending KILL"
            kill -KILL "$pid" 2>/dev/null || true
            wait_gone "$pid" 20 || true
        fi
    fi
    rm -f "$WORKDIR/$name.pid"
}

do_stop() {
    stop_one bacula-dir
    stop_one bacula-fd
}

write_config() {
    local d=$WORKDIR
    mkdir -p "$d/working" "$d/pid"
    chmod 700 "$d/working"

    cat >"$d/bacula-dir.conf" <<EOF
# Bacula 9.6 Director used as a loopback test peer. TLS disabled.
Director {
  Name = bacula-dir
  DirAddress = 127.0.0.1
  DIRport = $DIR_PORT
  Password = "dirsecret"
  QueryFile = "/etc/bacula/scripts/query.sql"
  WorkingDirectory = "$d/working"
  PidDirectory = "$d/pid"
  Maximum Concurrent Jobs = 5
  Messages = Daemon
}

Console {
  Name = admin
  Password = "adminsecret"
  CommandACL = *all*
  JobACL = *all*
  ClientACL = *all*
  StorageACL = *all*
  ScheduleACL = *all*
  PoolACL = *all*
  FileSetACL = *all*
  CatalogACL = *all*
  WhereACL = *all*
}

JobDefs {
  Name = "DefaultJob"
  Type = Backup
  Level = Incremental
  Client = bacula-fd
  FileSet = "Full Set"
  Schedule = "WeeklyCycle"
  Storage = File1
  Messages = Standard
  Pool = Default
  Priority = 10
  Write Bootstrap = "$d/working/%c.bsr"
}

Job {
  Name = "BackupClient1"
  JobDefs = "DefaultJob"
}

Job {
  Name = "RestoreFiles"
  Type = Restore
  Client = bacula-fd
  Storage = File1
  FileSet = "Full Set"
  Pool = Default
  Messages = Standard
  Where = "$d/restores"
}

FileSet {
  Name = "Full Set"
  Include {
    Options {
      signature = MD5
    }
    File = /usr/sbin
  }
}

Schedule {
  Name = "WeeklyCycle"
  Run = Full 1st sun at 23:05
  Run = Differential 2nd-5th sun at 23:05
  Run = Incremental mon-sat at 23:05
}

Client {
  Name = bacula-fd
  Address = 127.0.0.1
  FDPort = $FD_PORT
  Catalog = MyCatalog
  Password = "fdsecret"
  File Retention = 60 days
  Job Retention = 6 months
  AutoPrune = yes
}

Client {
  Name = other-fd
  Address = 127.0.0.2
  FDPort = 9
  Catalog = MyCatalog
  Password = "othersecret"
  File Retention = 30 days
  Job Retention = 3 months
  AutoPrune = no
}

# No storage daemon is started; the resource only has to exist.
Storage {
  Name = File1
  Address = 127.0.0.1
  SDPort = 9
  Password = "sdsecret"
  Device = FileStorage
  Media Type = File
}

Catalog {
  Name = MyCatalog
  dbname = "bacula"; dbuser = ""; dbpassword = ""
}

Messages {
  Name = Standard
  console = all, !skipped, !saved
  append = "$d/bacula.log" = all, !skipped
  catalog = all
}

Messages {
  Name = Daemon
  console = all, !skipped, !saved
  append = "$d/bacula.log" = all, !skipped
}

Pool {
  Name = Default
  Pool Type = Backup
  Recycle = yes
  AutoPrune = yes
  Volume Retention = 365 days
  Maximum Volume Bytes = 50G
  Maximum Volumes = 100
}

Pool {
  Name = Full
  Pool Type = Backup
  Recycle = yes
  AutoPrune = yes
  Volume Retention = 180 days
  Maximum Volumes = 10
  Label Format = "Full-"
}

Pool {
  Name = Scratch
  Pool Type = Backup
}
EOF

    cat >"$d/bacula-fd.conf" <<EOF
# Bacula 9.6 File Daemon used as a loopback test peer. TLS disabled.
Director {
  Name = bacula-dir
  Password = "fdsecret"
}

FileDaemon {
  Name = bacula-fd
  FDAddress = 127.0.0.1
  FDport = $FD_PORT
  WorkingDirectory = "$d/working"
  Pid Directory = "$d/pid"
  Maximum Concurrent Jobs = 5
  Plugin Directory = /usr/lib/bacula
}

Messages {
  Name = Standard
  director = bacula-dir = all, !skipped, !restored
}
EOF

    cat >"$d/bconsole.conf" <<EOF
# Default console: authenticates with the Director password.
Director {
  Name = bacula-dir
  DIRport = $DIR_PORT
  address = 127.0.0.1
  Password = "dirsecret"
}
EOF

    cat >"$d/bconsole-admin.conf" <<EOF
# Named console "admin".
Director {
  Name = bacula-dir
  DIRport = $DIR_PORT
  address = 127.0.0.1
  Password = "unused"
}

Console {
  Name = admin
  Password = "adminsecret"
  Director = bacula-dir
}
EOF
    chmod 600 "$d"/*.conf

    # Fresh sqlite catalog, created with the packaged table-creation script
    # (it hard-codes /var/lib/bacula and a placeholder name, so rewrite them).
    rm -f "$d/working/bacula.db"
    sed -e "s~^cd /var/lib/bacula~cd \"$d/working\"~" \
        -e "s~XXX_DBNAME_XXX~bacula~g" "$MAKE_TABLES" | sh >"$d/make_tables.log" 2>&1 \
        || { cat "$d/make_tables.log" >&2; die "creating catalog failed"; }
    [[ -s "$d/working/bacula.db" ]] || die "catalog $d/working/bacula.db not created"
}

start_one() {
    local name=$1 bin=$2
    local conf="$WORKDIR/$name.conf" out="$WORKDIR/$name.out"
    "$bin" -t -c "$conf" >"$WORKDIR/$name.check" 2>&1 \
        || { cat "$WORKDIR/$name.check" >&2; die "$name rejected its configuration ($conf)"; }
    # Foreground mode (-f) in its own session, as the current user (root).
    setsid "$bin" -f -c "$conf" </dev/null >>"$out" 2>&1 &
    echo $! >"$WORKDIR/$name.pid"
}

do_start() {
    [[ $DIR_PORT =~ ^[0-9]+$ && $FD_PORT =~ ^[0-9]+$ ]] || die "ports must be numeric"
    [[ $DIR_PORT != "$FD_PORT" ]] || die "BACULA_DIR_PORT and BACULA_FD_PORT must differ"
    install_packages
    mkdir -p "$WORKDIR"
    do_stop
    for p in "$DIR_PORT" "$FD_PORT"; do
        if port_open "$p"; then
            die "port $p on 127.0.0.1 is already in use by another process"
        fi
    done
    write_config
    : >"$WORKDIR/bacula-dir.out"
    : >"$WORKDIR/bacula-fd.out"
    start_one bacula-fd /usr/sbin/bacula-fd
    start_one bacula-dir /usr/sbin/bacula-dir

    local deadline=$((SECONDS + WAIT_SECS)) ok_dir=0 ok_fd=0
    while ((SECONDS < deadline)); do
        port_open "$DIR_PORT" && ok_dir=1
        port_open "$FD_PORT" && ok_fd=1
        ((ok_dir && ok_fd)) && break
        if ! live_pid bacula-dir >/dev/null || ! live_pid bacula-fd >/dev/null; then
            break
        fi
        sleep 0.2
    done
    if ((ok_dir && ok_fd)); then
        # Both ports were free before the start, so they are ours as long
        # as both processes are still alive.
        live_pid bacula-dir >/dev/null || ok_dir=0
        live_pid bacula-fd >/dev/null || ok_fd=0
    fi
    if ! ((ok_dir && ok_fd)); then
        log "daemons not listening (director:$ok_dir fd:$ok_fd): a process exited or ${WAIT_SECS}s passed"
        local f
        for f in bacula-dir.out bacula-fd.out bacula.log; do
            if [[ -s "$WORKDIR/$f" ]]; then
                log "---- $WORKDIR/$f (tail)"
                tail -n 30 "$WORKDIR/$f" >&2
            fi
        done
        log "logs: $WORKDIR/bacula-dir.out $WORKDIR/bacula-fd.out $WORKDIR/bacula.log"
        do_stop
        exit 1
    fi
    log "director bacula-dir on 127.0.0.1:$DIR_PORT (pid $(<"$WORKDIR/bacula-dir.pid"))"
    log "file daemon bacula-fd on 127.0.0.1:$FD_PORT (pid $(<"$WORKDIR/bacula-fd.pid"))"
    log "bconsole configs: $WORKDIR/bconsole.conf $WORKDIR/bconsole-admin.conf"
    log "logs: $WORKDIR/bacula-dir.out $WORKDIR/bacula-fd.out $WORKDIR/bacula.log"
}

[[ $# -eq 2 ]] || usage
case "$1" in
    start)
        mkdir -p "$2"
        WORKDIR=$(cd "$2" && pwd -P)
        do_start
        ;;
    stop)
        [[ -d $2 ]] || exit 0
        WORKDIR=$(cd "$2" && pwd -P)
        do_stop
        ;;
    *) usage ;;
esac
