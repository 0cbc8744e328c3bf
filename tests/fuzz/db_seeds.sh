#!/usr/bin/env bash
# tests/fuzz/db_seeds.sh - remake the seeds of fuzz_db (tests/fuzz/corpus/db/).
#
#   tests/fuzz/db_seeds.sh [KMEMSIM]      (from the repo root; default build/kmemsim)
#
# Each seed is one byte (the command of fuzz_db.c: 0 to 5) and a real kmemsim
# database of the current schema, kept small: a short run of the default
# scenario on 1 node, 2 CPUs, 32 MiB (SLUB, SLAB, buddy; 8 operations), one
# with --log aggregate, and replays (SLUB, SLAB) of the first 40 lines of the
# fuzz_trace_replay seed w3 (its operations: lines 1-24, for line:N).  Each keeps only what the readers read: the
# tables they query (no views, no other table), no scenario text in runs,
# the caches its operations used with kmem_cache, kmem_cache_node and
# kmalloc-64 (and their rows); then it is VACUUMed into 512-byte pages.  A
# seed is 8-20 KiB instead of 40-80: every input costs less to write, read
# and parse, and the fuzzer mutates what the readers see.
set -euo pipefail
k=${1:-build/kmemsim}
out=tests/fuzz/corpus/db
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
keep=" schema_version runs zones pcp buddy_snapshots caches cache_aliases slabinfo slub_stats stat_bumps ops "
keep+="trace_lines stat_counts op_buckets mark_stats "
per_cache="slabinfo slub_stats stat_bumps cache_aliases stat_counts mark_stats"
short=(--set 'machine={"nodes": [{"cpus": 2, "zones": {"dma32": 32}}]}' --set 'workload.streams[0].ops=8')
"$k" run "${short[@]}" --db "$tmp/slub" >/dev/null
"$k" run "${short[@]}" --set allocator=slab --db "$tmp/slab" >/dev/null
"$k" run "${short[@]}" --set allocator=buddy --set 'workload.streams[0].kind=pages' --db "$tmp/buddy" >/dev/null
"$k" run "${short[@]}" --log aggregate --db "$tmp/aggregate" >/dev/null
tail -c +2 tests/fuzz/corpus/trace_replay/w3 | head -40 >"$tmp/w3.trace"
"$k" replay "$tmp/w3.trace" --set 'machine.nodes[0].cpus=4' --db "$tmp/replay" >/dev/null 2>&1
"$k" replay "$tmp/w3.trace" --set 'machine.nodes[0].cpus=4' --allocator slab --db "$tmp/replay-slab" >/dev/null 2>&1
rm -f "$out"/*
for db in slub slab buddy aggregate replay replay-slab; do
  sql="UPDATE runs SET scenario_json = NULL, scenario_text = NULL;"
  for v in $(sqlite3 "$tmp/$db" "SELECT name FROM sqlite_master WHERE type = 'view'"); do
    sql="$sql DROP VIEW $v;"
  done
  tables=" $(sqlite3 "$tmp/$db" "SELECT name FROM sqlite_master WHERE type = 'table'" | tr '\n' ' ') "
  for t in $tables; do
    [[ $keep == *" $t "* ]] || sql="$sql DROP TABLE $t;"
  done
  if [[ $tables == *" caches "* ]]; then
    sql="$sql CREATE TEMP TABLE kept AS SELECT id FROM caches WHERE id < 2 OR name = 'kmalloc-64'
      OR id IN (SELECT cache FROM ops);"
    for t in $per_cache; do
      [[ $tables != *" $t "* ]] || sql="$sql DELETE FROM $t WHERE cache NOT IN temp.kept;"
    done
    sql="$sql DELETE FROM caches WHERE id NOT IN temp.kept;"
  fi
  sqlite3 "$tmp/$db" "$sql"
  sqlite3 "$tmp/$db" 'PRAGMA page_size=512; VACUUM;'
  for cmd in 0 1 2 3 4 5; do
    { printf "\\$cmd"; cat "$tmp/$db"; } >"$out/$db-$cmd"
  done
done
ls -l "$out"
