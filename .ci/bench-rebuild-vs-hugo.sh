#!/usr/bin/env bash
# A rebuild after one edit against Hugo's full build of the same corpus,
# side by side on the same machine: medians and their ratio.
#
#   .ci/bench-rebuild-vs-hugo.sh [RECORDS] [RUNS]     (from the project root)
#
# RECORDS defaults to 10000, RUNS to 5. The corpus comes from
# ../shared/tools/gencorpus.py (or GENCORPUS=path). gongkai builds the
# corpus once into public/ (not timed), then each round edits one record
# and runs `gongkai build` into the same public/, alternating with a full
# Hugo build into a folder of its own. OUT_DIR chooses where the outputs
# go (the default is a temporary folder on the disk). Prints one line per
# tool and a last line "ratio rebuild/hugo wall=… rss=…".
set -euo pipefail
n=${1:-10000}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
gencorpus=${GENCORPUS:-$here/../shared/tools/gencorpus.py}
work=$(mktemp -d)
outs=$(mktemp -d -p "${OUT_DIR:-${TMPDIR:-/tmp}}")
trap 'rm -rf "$work" "$outs"' EXIT
mkdir -p "$work/bin" "$work/times" "$work/cache"
command -v hugo >/dev/null || { echo "needs hugo (apt-get install hugo)"; exit 1; }

python3 "$gencorpus" "$work/corpus" "$n" >/dev/null
(cd "$here" && go build -o "$work/bin/gongkai" ./cmd/gongkai)
export GONGKAI_CACHE="$work/cache"

measure() { # label, then the command; appends "wall_s rss_kb" to $work/times/$label
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null 2>"$work/err" || { echo "$label failed:"; tail -20 "$work/err"; exit 1; }
  cat "$work/t" >> "$work/times/$label"
}
gk=("$work/bin/gongkai" build --src "$work/corpus/content" --out "$outs/public" --date 2026-11-27)
"${gk[@]}" >/dev/null 2>&1
mapfile -t recs < <(cd "$work/corpus/content" && find disclosures decisions minutes -name '*.md' | sort)
for ((i = 1; i <= runs; i++)); do
  measure hugo hugo --quiet --source "$work/corpus" -d "$outs/hugo-$i"
  f="$work/corpus/content/${recs[$(( (i * 7919) % ${#recs[@]} ))]}"
  printf '\n第%d次修改的补充说明。\n' "$i" >> "$f"
  measure rebuild "${gk[@]}"
done
median() { sort -n -k"$2" "$work/times/$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'; }
hw=$(median hugo 1); hr=$(median hugo 2); gw=$(median rebuild 1); gr=$(median rebuild 2)
echo "hugo full build   records=$n wall_s=$hw rss_mib=$((hr / 1024))"
echo "gongkai rebuild   records=$n wall_s=$gw rss_mib=$((gr / 1024)) (after one edit, into the same public/)"
awk -v gw="$gw" -v hw="$hw" -v gr="$gr" -v hr="$hr" 'BEGIN {printf "ratio rebuild/hugo wall=%.2f rss=%.2f\n", gw / hw, gr / hr}'
