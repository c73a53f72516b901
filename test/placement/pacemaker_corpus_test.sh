#!/usr/bin/env bash
# Runs tandemctl simulate over Pacemaker's scheduler regression cases (in
# ../shared/pacemaker-scheduler beside the checkout) and fails when fewer
# cases pass, placement included, than the floor recorded in
# corpus-floor.txt. Raise the floor with every gain; never lower it.
#
# usage: pacemaker_corpus_test.sh TANDEMCTL SOURCE_DIR
set -euo pipefail
tandemctl=$(realpath "$1")
source_dir=$(realpath "$2")
here="$source_dir/test/placement"
corpus="$source_dir/../shared/pacemaker-scheduler"
if [[ ! -f "$corpus/score_scheduler.py" ]]; then
  echo "SKIPPED: Pacemaker's scheduler corpus is not at $corpus"
  exit 77
fi
floor=$(tr -dc '0-9' < "$here/corpus-floor.txt")
excluded=$(grep -v '^#' "$here/corpus-scope.txt" | paste -sd, -)
cd "$corpus"
python3 score_scheduler.py --cases . --placement -q --timeout 30 \
  --exclude-features "$excluded" --min-pass "$floor" \
  --cmd "'$tandemctl' simulate --cib {xml} --output json \${now:+--now \$now}"
