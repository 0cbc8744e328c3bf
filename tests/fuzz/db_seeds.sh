#!/usr/bin/env bash
# tests/fuzz/db_seeds.sh - remake the seeds of fuzz_db (tests/fuzz/corpus/db/).
#
#   tests/fuzz/db_seeds.sh [KMEMSIM]      (from the repo root; default build/kmemsim)
#
# Each seed is one byte (0x3f: every command of fuzz_db.c) and a real kmemsim
# database of the current schema, kept small: a short run of the default
# scenario on 1 node, 2 CPUs, 32 MiB (SLUB, SLAB, buddy; 40 operations), one
# with --log aggregate, and a
# replay of the first 40 lines of the fuzz_trace_replay seed w3, each VACUUMed
# into 512-byte pages (same rows, a smaller file for the fuzzer to mutate).
set -euo pipefail
k=${1:-build/kmemsim}
out=tests/fuzz/corpus/db
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
short=(--set 'machine={"nodes": [{"cpus": 2, "zones": {"dma32": 32}}]}' --set 'workload.streams[0].ops=40')
"$k" run "${short[@]}" --db "$tmp/slub" >/dev/null
"$k" run "${short[@]}" --set allocator=slab --db "$tmp/slab" >/dev/null
"$k" run "${short[@]}" --set allocator=buddy --set 'workload.streams[0].kind=pages' --db "$tmp/buddy" >/dev/null
"$k" run "${short[@]}" --log aggregate --db "$tmp/aggregate" >/dev/null
tail -c +2 tests/fuzz/corpus/trace_replay/w3 | head -40 >"$tmp/w3.trace"
"$k" replay "$tmp/w3.trace" --set 'machine.nodes[0].cpus=4' --db "$tmp/replay" >/dev/null
rm -f "$out"/*
for db in slub slab buddy aggregate replay; do
  sqlite3 "$tmp/$db" 'PRAGMA page_size=512; VACUUM;'
  { printf '\077'; cat "$tmp/$db"; } >"$out/$db"
done
ls -l "$out"
