# shellcheck shell=bash
# xcm-lab's hosts as machines with a power switch, and their simulated BMCs: sourced by xcm-lab.
#
# A host's power is a fact of its own (DIR/hostN/power: on or off), as on a real machine: a host
# whose libvirtd or agent crashed is still on. Off kills at once (kill -9) everything of the host:
# the session its boot started (its libvirtd), and every process in the mount namespaces it had
# (QEMU, commands given to `run`); it returns once none is left. On starts `boot` in a session of
# its own, which starts libvirtd and, once it answers, the commands given to `run` again.
#
# Files per host (DIR/hostN/): power; state (booting, up, failed, off); sessions and namespaces
# (every one it had, for off and down); commands (what `run` was given: log, directory, command,
# each quoted with printf %q); power.lock (flock: one power change or run at a time).

host_dir() { printf '%s/host%s' "$DIR" "$1"; }

power_of() {
  local f
  f="$(host_dir "$1")/power"
  if [ -s "$f" ]; then cat "$f"; else echo off; fi
}

# ", BMC 127.0.0.1:PORT" for a host that has one.
bmc_of() {
  [ -s "$DIR/bmcs" ] || return 0
  awk -v h="$1" '$1 == h {printf ", BMC 127.0.0.1:%s (ipmi_sim pid %s)", $2, $3}' "$DIR/bmcs"
}

# Runs "$@" holding hostI's power lock. Whatever it starts is given `9>&-`: a child holding the
# lock's descriptor would hold the lock for its whole life.
with_power_lock() {
  local i=$1
  shift
  {
    flock 9
    "$@"
  } 9> "$(host_dir "$i")/power.lock"
}

power_on() {
  local i=$1 hd
  hd=$(host_dir "$i")
  [ "$(power_of "$i")" = on ] && return 0
  echo on > "$hd/power"
  echo booting > "$hd/state"
  (
    close_fds
    exec setsid "$BASH" "$SELF" boot --dir "$DIR" --host "$i"
  ) < /dev/null >> "$hd/boot.log" 2>&1 &
  # Not a process group leader, so setsid needs no fork: the boot's PID is its session's ID.
  local pid=$!
  echo "$pid" >> "$hd/sessions"
  record "$pid" boot "host$i"
}

power_off() {
  local i=$1 hd
  hd=$(host_dir "$i")
  echo off > "$hd/power"
  echo off > "$hd/state"
  local left
  for _ in $(seq 1 100); do
    left=$(host_pids "$i")
    [ -n "$left" ] || return 0
    # shellcheck disable=SC2086
    kill -9 $left 2>/dev/null || true
    sleep 0.05
  done
  die "host$i: processes still alive 5 s after kill -9: $left"
}

# Every live process of hostI: its sessions and mount namespaces.
host_pids() {
  local hd
  hd=$(host_dir "$1")
  { namespace_pids "$hd/namespaces"; session_pids "$hd/sessions"; } | tr ' ' '\n' | sed '/^$/d' | sort -un | tr '\n' ' '
  return 0
}

# Waits until hostI's boot is done (libvirtd answers, its commands started).
await_boot() {
  local i=$1 hd state
  hd=$(host_dir "$i")
  for _ in $(seq 1 300); do
    state=$(cat "$hd/state" 2>/dev/null || echo booting)
    case $state in
      up) return 0 ;;
      failed | off) tail -n 20 "$hd/boot.log" >&2 2>/dev/null; die "host$i did not boot ($state; logs: $hd)" ;;
    esac
    sleep 0.1
  done
  die "host$i did not boot within 30 s (logs: $hd)"
}

# A powered-on host: libvirtd, then (once it answers) the commands given to run.
boot() {
  parse "$@"
  local i=$HOST hd pid
  hd=$(host_dir "$i")
  # shellcheck disable=SC2064
  trap "[ \"\$(cat '$hd/state' 2>/dev/null)\" != booting ] || echo failed > '$hd/state'" EXIT
  say "$(date +%T.%N) host$i powered on: booting"
  pid=$(start_libvirtd "$i")
  await_host "$i" "$pid"
  with_power_lock "$i" boot_commands "$i" "$pid"
  say "$(date +%T.%N) host$i up (libvirtd $pid)"
}

boot_commands() {
  local i=$1 pid=$2 hd line
  hd=$(host_dir "$i")
  # Powered off (and maybe on again) while libvirtd started: that boot is not this one's.
  [ "$(cat "$hd/state")" = booting ] || exit 0
  if [ -s "$hd/commands" ]; then
    while IFS= read -r line; do start_command "$i" "$pid" "$line" > /dev/null; done < "$hd/commands"
  fi
  echo up > "$hd/state"
}

# Starts one recorded command (LOG DIRECTORY COMMAND...) in the mount namespace of PID; prints
# its PID.
start_command() {
  local i=$1 pid=$2
  eval "set -- $3"
  local log=$1 cwd=$2
  shift 2
  (
    close_fds
    cd "$cwd" || exit 1
    exec setsid nsenter -t "$pid" -m -- "$@"
  ) < /dev/null >> "$log" 2>&1 9>&- &
  record $! run "host$i"
  echo $!
}

host_number() {
  local h=${1:-}
  h=${h#host}
  [[ "$h" =~ ^[1-9][0-9]?$ ]] || die "not a lab host: ${1:-(none)} (host1, host2, ...)"
  echo "$h"
}

# xcm-lab run HOST [--dir DIR] [--log FILE] -- CMD...
run_command() {
  local i opts=()
  i=$(host_number "${1:-}")
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
  if [ "${1:-}" != -- ] || [ $# -lt 2 ]; then
    die "run needs a command after --: xcm-lab run HOST [--log FILE] -- CMD..."
  fi
  shift
  parse "${opts[@]}"
  if [ ! -d "$(host_dir "$i")" ] || [ -z "$(running_pids)" ]; then
    die "no lab with host$i runs in $DIR"
  fi
  local log=${LOG:-$(host_dir "$i")/run.log}
  mkdir -p "$(dirname "$log")"
  log=$(realpath -m "$log")
  with_power_lock "$i" run_locked "$i" "$log" "$@"
}

run_locked() {
  local i=$1 log=$2 hd line pid
  shift 2
  hd=$(host_dir "$i")
  line=$(printf '%q ' "$log" "$PWD" "$@")
  echo "$line" >> "$hd/commands"
  if [ "$(cat "$hd/state")" != up ]; then
    say "host$i is $(cat "$hd/state"): the command starts when it is up"
    return 0
  fi
  pid=$(running_pids libvirtd "host$i")
  pid=${pid%% *}
  [ -n "$pid" ] || die "host$i is on but its libvirtd does not run (power it off and on)"
  start_command "$i" "$pid" "$line"
}

# xcm-lab power HOST on|off|status [--dir DIR]
power() {
  local i action=${2:-}
  i=$(host_number "${1:-}")
  shift 2 || die "power needs an action: xcm-lab power HOST on|off|status"
  parse "$@"
  [ -d "$(host_dir "$i")" ] || die "the lab in $DIR has no host$i"
  case $action in
    on) with_power_lock "$i" power_on "$i" ;;
    off) with_power_lock "$i" power_off "$i" ;;
    status) power_of "$i" ;;
    *) die "power: unknown action '$action' (on, off, status)" ;;
  esac
}

# ipmi_sim's chassis control: xcm-lab chassis DIR HOST get power|boot... | set power 0|1 | set
# reset 1. ipmi_sim reads the answer until end of file and does nothing else meanwhile: whatever
# starts from here is detached (close_fds, setsid, output elsewhere), and off returns at once.
chassis() {
  DIR=$1
  local i
  i=$(host_number "$2")
  local op=$3
  shift 3
  echo "$(date +%T.%N) $op $*" >> "$DIR/bmc/host$i.log"
  case $op in
    get)
      for p in "$@"; do
        case $p in
          power) if [ "$(power_of "$i")" = on ]; then echo power:1; else echo power:0; fi ;;
          boot) echo boot:default ;;
          *) echo "bad parm $p"; exit 1 ;;
        esac
      done ;;
    set)
      while [ $# -ge 2 ]; do
        case $1 in
          power) if [ "$2" = 1 ]; then with_power_lock "$i" power_on "$i"; else with_power_lock "$i" power_off "$i"; fi ;;
          reset) with_power_lock "$i" power_off "$i" && with_power_lock "$i" power_on "$i" ;;
        esac
        shift 2
      done ;;
    *) exit 1 ;;
  esac
}

check_bmc() {
  local missing=()
  command -v ipmi_sim > /dev/null || missing+=(openipmi)
  command -v ipmitool > /dev/null || missing+=(ipmitool)
  [ -x /usr/sbin/fence_ipmilan ] || missing+=(fence-agents)
  [ ${#missing[@]} -eq 0 ] || die "--bmc needs Debian packages: ${missing[*]} (./xcm lab up --bmc installs them)"
  # ipmi_sim's configuration has no escapes: the chassis command line is split at blanks.
  [[ "$DIR" =~ ^[A-Za-z0-9/._-]+$ ]] || die "--bmc needs a lab directory of letters, digits and / . _ - only: $DIR"
}

# A UDP port no socket holds, below Linux's ephemeral range (where other programs' clients bind).
free_udp_port() {
  local used p
  used=$(ss -Huan | awk '{n = split($4, a, ":"); print a[n]}')
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 12000))
    grep -qx "$p" <<< "$used" || { echo "$p"; return 0; }
  done
  die "no free UDP port found for a BMC"
}

start_bmcs() {
  local i
  mkdir -p "$DIR/bmc"
  chmod 700 "$DIR/bmc"
  : > "$DIR/bmcs"
  for i in $(seq 1 "$HOSTS"); do start_bmc "$i"; done
  write_fence_devices
}

start_bmc() {
  local i=$1 pw port pid
  local bd="$DIR/bmc/host$i"
  mkdir -p "$bd/state"
  # 16 letters and digits: IPMI 1.5 passwords hold at most 16 bytes.
  pw=$(tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 16 || true)
  (umask 077 && printf '%s\n' "$pw" > "$DIR/bmc/host$i.password")
  cat > "$bd/bmc.emu" << 'EMU'
mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02
mc_enable 0x20
EMU
  for attempt in 1 2 3; do
    port=$(free_udp_port)
    (umask 077 && cat > "$bd/lan.conf") << CONF
name "host$i"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 $port
    priv_limit admin
    guid $(printf '%032x' "$i")
  endlan
  chassis_control "$SELF chassis $DIR host$i"
  user 2 true "admin" "$pw" admin 10 md5
CONF
    (
      close_fds
      exec setsid ipmi_sim -n -c "$bd/lan.conf" -f "$bd/bmc.emu" -s "$bd/state"
    ) < /dev/null >> "$bd/ipmi_sim.log" 2>&1 &
    pid=$!
    record "$pid" ipmi_sim "host$i"
    for _ in $(seq 1 50); do
      if ipmitool -I lanplus -H 127.0.0.1 -p "$port" -U admin -f "$DIR/bmc/host$i.password" -C 3 \
        -N 1 -R 1 chassis power status > /dev/null 2>&1; then
        printf 'host%s %s %s\n' "$i" "$port" "$pid" >> "$DIR/bmcs"
        return 0
      fi
      alive "$pid" || break
      sleep 0.1
    done
    say "host$i's BMC did not answer on UDP port $port (attempt $attempt; $bd/ipmi_sim.log)"
    kill_wait "ipmi_sim" "$pid"
  done
  die "host$i's BMC did not start (logs: $bd)"
}

# The coordinator's fence devices (docs/fencing.md): fence_ipmilan against each host's BMC.
write_fence_devices() {
  local name port pid f="$DIR/fence-devices"
  (umask 077 && : > "$f")
  {
    echo "# xcm-lab: each host's simulated BMC (ipmi_sim on 127.0.0.1) for xcm.coordinator.fence-devices"
    while read -r name port pid; do
      printf '%s.agent = fence_ipmilan\n' "$name"
      printf '%s.ip = 127.0.0.1\n' "$name"
      printf '%s.ipport = %s\n' "$name" "$port"
      printf '%s.username = admin\n' "$name"
      printf '%s.password-file = %s/bmc/%s.password\n' "$name" "$DIR" "$name"
      printf '%s.lanplus = 1\n' "$name"
      printf '%s.cipher = 3\n' "$name"
      printf '%s.power_wait = %s\n' "$name" "$FENCE_POWER_WAIT"
      printf '\n'
    done < "$DIR/bmcs"
  } >> "$f"
}
