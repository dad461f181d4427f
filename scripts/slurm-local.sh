#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the tests that submit real jobs and for trying
# the Slurm launch target by hand: `scripts/slurm-local.sh start|stop|status`.
#
# start  installs slurm-wlm and munge when missing (Debian's packages; root), writes the munge key
#        once and /etc/slurm/slurm.conf, starts munged, slurmctld and slurmd when they are not
#        running, resumes the node if a test left it down, and waits until `sinfo` shows it idle.
#        Idempotent: a second start with everything up only checks.
# stop   `scontrol shutdown` (slurmctld and slurmd), then munged by its pid.
# status prints the daemons' pids and the node's state; exit 0 when the node is usable.
#
# The configuration keeps ended jobs readable: no accounting database (sacct answers "accounting
# storage is disabled"), so `scontrol show job` must still know a job after it ended —
# MinJobAge=3600 keeps it an hour — and jobcomp/filetxt writes one line per ended job to
# /var/log/slurm/jobcomp.log. OverTimeLimit=0 and KillWait=5 end a job soon after its --time;
# Slurm checks limits about every 30 s, so a one-minute job times out within ~90 s.
# JobRequeue=0: a job on a node that fails ends as NODE_FAIL rather than being queued again.
set -euo pipefail

CONF=/etc/slurm/slurm.conf
KEY=/etc/munge/munge.key
SPOOL=/var/spool/slurm
LOGS=/var/log/slurm
NODE="$(hostname)"

log() { printf '[slurm-local] %s\n' "$*"; }

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    log "need root to $1" >&2
    exit 2
  fi
}

# A pid that names a live process (not a zombie: a daemon killed a moment ago is one until reaped).
pid_alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
  ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}
pid_of() { [ -f "$1" ] && cat "$1" 2>/dev/null || true; }

install_packages() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null \
     && command -v sbatch >/dev/null; then
    return
  fi
  need_root "install slurm-wlm and munge"
  log "installing slurm-wlm and munge (about a minute)"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt-get (a parallel setup script) may hold dpkg's lock: wait for it rather than fail.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq slurm-wlm munge >/dev/null
}

write_config() {
  need_root "write $CONF"
  mkdir -p /etc/munge /etc/slurm "$SPOOL/ctld" "$SPOOL/d" "$LOGS" /run/munge /var/lib/munge /var/log/munge
  chown munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
  if [ ! -s "$KEY" ]; then
    head -c 1024 /dev/urandom > "$KEY"
  fi
  chown munge:munge "$KEY"
  chmod 0400 "$KEY"

  local mem cpus conf
  mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
  cpus=$(nproc)
  conf=$(cat <<EOF
# Written by scripts/slurm-local.sh: a single-node cluster for ML Intern's tests.
ClusterName=mlintern-local
SlurmctldHost=$NODE
SlurmUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=$SPOOL/ctld
SlurmdSpoolDir=$SPOOL/d
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$LOGS/jobcomp.log
MinJobAge=3600
OverTimeLimit=0
KillWait=5
JobRequeue=0
ReturnToService=2
SlurmdTimeout=30
NodeName=$NODE CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
)
  if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$conf" ]; then
    printf '%s\n' "$conf" > "$CONF"
    CONF_CHANGED=1
  fi
}

start_daemons() {
  if ! pid_alive "$(pid_of /run/munge/munged.pid)"; then
    log "starting munged"
    su -s /bin/sh munge -c /usr/sbin/munged
  fi
  local ctld d
  ctld=$(pid_of /run/slurmctld.pid)
  d=$(pid_of /run/slurmd.pid)
  if [ "${CONF_CHANGED:-0}" = 1 ] && pid_alive "$ctld"; then
    log "configuration changed: restarting slurmctld and slurmd"
    scontrol shutdown >/dev/null 2>&1 || true
    for _ in $(seq 50); do pid_alive "$ctld" || pid_alive "$d" || break; sleep 0.2; done
  fi
  if ! pid_alive "$(pid_of /run/slurmctld.pid)"; then
    log "starting slurmctld"
    slurmctld
  fi
  if ! pid_alive "$(pid_of /run/slurmd.pid)"; then
    log "starting slurmd"
    slurmd
  fi
}

node_state() { timeout 10 sinfo -h -n "$NODE" -o %t 2>/dev/null | head -1 || true; }

wait_idle() {
  local state=""
  for i in $(seq 120); do
    state=$(timeout 10 sinfo -h -n "$NODE" -o %t 2>/dev/null | head -1 || true)
    case "$state" in
      idle|mix|alloc|comp) log "node $NODE is $state"; return 0 ;;
      down*|drain*|drng*|fail*)
        # A test that set the node down and ended before resuming it; a restart after a crash.
        scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true ;;
    esac
    # A daemon that died after it was started (a stale lock, a bad configuration): start it again.
    if [ $((i % 20)) -eq 0 ]; then start_daemons; fi
    sleep 0.5
  done
  log "node $NODE did not become idle (state: ${state:-none}); see $LOGS/slurmctld.log and $LOGS/slurmd.log" >&2
  return 1
}

case "${1:-}" in
  start)
    install_packages
    write_config
    start_daemons
    wait_idle
    ;;
  stop)
    scontrol shutdown >/dev/null 2>&1 || true
    m=$(pid_of /run/munge/munged.pid)
    if pid_alive "$m"; then kill "$m"; fi
    log "stopped"
    ;;
  status)
    printf 'munged %s, slurmctld %s, slurmd %s\n' "$(pid_of /run/munge/munged.pid)" \
      "$(pid_of /run/slurmctld.pid)" "$(pid_of /run/slurmd.pid)"
    s=$(node_state)
    printf 'node %s: %s\n' "$NODE" "${s:-unknown}"
    case "$s" in idle|mix|alloc|comp) exit 0 ;; *) exit 1 ;; esac
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
