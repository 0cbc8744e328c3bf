#!/usr/bin/env bash
# tests/slurm/run.sh [KMEMSIM_BIN]: tools/slurm-sweep on a real one-node Slurm cluster.
#
# Installs slurm-wlm and munge from Debian when they are missing, starts munged (its own key
# and socket), slurmctld and slurmd (a minimal slurm.conf, root, localhost, ports of its own)
# in a temporary directory, runs a sweep and an exploration as job arrays through
# tools/slurm-sweep, compares the merged answers with one process's, and stops the daemons.
# Run by .ci/run, not by the Criterion suite; about a minute.  Exit 0 when they agree.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
K=$(realpath "${1:-build/kmemsim}")
[ -x "$K" ] || { echo "slurm test: no kmemsim at $K (build it, or give its path)" >&2; exit 2; }
say() { echo "slurm test: $*" >&2; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
	say "installing slurm-wlm and munge"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends slurm-wlm munge >&2
fi

T=$(mktemp -d /tmp/kmemsim-slurm-XXXXXX)
chmod 755 "$T"
stop() {
	for d in slurmd slurmctld munged; do
		[ -s "$T/$d.pid" ] && kill "$(cat "$T/$d.pid")" 2>/dev/null || true
	done
	sleep 1
	for d in slurmd slurmctld munged; do
		[ -s "$T/$d.pid" ] && kill -9 "$(cat "$T/$d.pid")" 2>/dev/null || true
	done
	if [ "${keep:-0}" = 1 ]; then say "logs kept in $T"; else rm -rf "$T"; fi
}
trap stop EXIT
fail() { keep=1; say "FAILED: $*"; for l in "$T"/*.log; do echo "== $l" >&2; tail -n 20 "$l" >&2; done; exit 1; }

# munge: a key and a socket of our own
head -c 1024 /dev/urandom > "$T/munge.key"
chmod 400 "$T/munge.key"
munged --force --key-file="$T/munge.key" --socket="$T/munge.sock" --pid-file="$T/munged.pid" \
	--log-file="$T/munged.log" --seed-file="$T/munged.seed" || fail "munged did not start"

node=$(hostname -s)
port=$((20000 + RANDOM % 20000))
mkdir -p "$T/state" "$T/spool" "$T/work"
cat > "$T/slurm.conf" <<CONF
ClusterName=kmemsimtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$T/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
NodeName=$node NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$T/slurm.conf
slurmctld -c || fail "slurmctld did not start"
slurmd -N "$node" || fail "slurmd did not start"
for i in $(seq 60); do
	state=$(sinfo -h -o %t 2>/dev/null || true)
	case "$state" in idle*) break ;; esac
	sleep 1
done
case "$state" in idle*) say "one-node cluster up ($node, ports $port-$((port + 1)))" ;; *) fail "the node is '$state', not idle" ;; esac

cd "$T/work"
echo '{}' > default.json
# A sweep: 8 points as an array of 4 tasks, merged, against one process.
grid=(default.json --vary allocator=slub,slab --vary slub.min_objects=0,128 --vary buddy.pcp_batch.dma32=0,126
      --set 'workload.streams[0].ops=150')
"$K" sweep "${grid[@]}" --out one --quiet > one.txt || fail "sweep in one process"
"$root/tools/slurm-sweep" --kmemsim "$K" --shards 4 --out slurm-sweep sweep "${grid[@]}" > merged.txt ||
	fail "slurm-sweep sweep"
cmp one.txt merged.txt || fail "the merged sweep differs from one process's"
[ "$(ls slurm-sweep/point-*.db | wc -l)" = 8 ] || fail "not 8 point databases"
say "sweep: 8 points in 4 array tasks, merged tables identical to one process's ($(wc -l < one.txt) lines)"

# An exploration: explore --shard as an array of 2 tasks, merged, against one process.
race="$root/scenarios/races/slab-refill-list-lock.json"
"$K" explore "$race" --schedules 600 --no-shrink --quiet --schedule-out one.schedule > explore-one.txt || true
want=$(sed -n 's/.*violation in schedule \([0-9]*\).*/\1/p' explore-one.txt | head -1)
"$root/tools/slurm-sweep" --kmemsim "$K" --shards 2 --out slurm-explore explore "$race" --schedules 600 --no-shrink \
	> explore-merged.txt || true
got=$(sed -n 's/.*violation in schedule \([0-9]*\).*/\1/p' explore-merged.txt | head -1)
[ -n "$want" ] && [ "$want" = "$got" ] || fail "explore: one process found schedule '$want', the array '$got'"
say "explore: 2 array tasks merged to the same first failing schedule ($want) as one process"
say "ok"
