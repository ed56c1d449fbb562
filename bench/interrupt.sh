#!/usr/bin/env bash
# bench/interrupt.sh [EVENTS] — how soon a whole-marketplace scan stops when
# interrupted: penalty_standings over EVENTS events (default 10,000,000;
# 1,000 sellers) with two threads, each read strategy (stream through a
# covering index, sort in memory, sort spilled to a 1 MiB budget), is
# interrupted by sqlite3_interrupt() from another thread at 5%, 25%, 50%,
# 75% and 95% of its time, and by a progress handler; prints the time from
# the interrupt to the query's return (the latency), and checks, as the test
# reliability.faults.interrupt does at 200,000 events, that every worker
# thread is gone and the next query answers right. The database is made once
# (bench/data/interrupt-EVENTS.db, about 60 bytes an event) and kept.
# Needs a build (./run.sh build): it runs build/tests/faults_tests.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-10000000}
mkdir -p bench/data
[ -x build/tests/faults_tests ] || { echo "bench/interrupt.sh: build/tests/faults_tests is missing: ./run.sh build first"; exit 1; }
PENALTY_FAULTS_EVENTS=$events PENALTY_FAULTS_DB=$PWD/bench/data/interrupt-$events.db \
PENALTY_FAULTS_AT=0.05,0.25,0.5,0.75,0.95 build/tests/faults_tests interrupt
