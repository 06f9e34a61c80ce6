#!/usr/bin/env bash
# A short end-to-end check of the real trainer on a GPU machine with torch,
# transformers and peft and no internet (no model hub): it
#   1. builds a tiny random Llama (2 layers, hidden 64) and a byte-level BPE
#      tokenizer trained on the built-in check dataset, into a temp dir;
#   2. runs `brightrun trainer check` on assets/trainers/peft_lora.py with it;
#   3. loads the adapter with peft and generates a reply;
#   4. prints what it measured (losses, trained-token fraction, adapter size,
#      generated tokens, timings).
# A few minutes at most. The brightrun binary: $BRIGHTRUN_BIN when set, else
# built with `go build` when go is here, else bin/brightrun.
# Usage: scripts/gpu-check.sh [--keep]   (--keep leaves the temp dir)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
keep=${1:-}
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false PYTHONDONTWRITEBYTECODE=1
work=$(mktemp -d "${TMPDIR:-/tmp}/brightrun-gpu-check.XXXXXX")
if [ "$keep" = --keep ]; then
  echo "work dir: $work (kept)"
else
  trap 'rm -rf "$work"' EXIT
fi

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1fs", b-a}'; }

python3 - <<'EOF'
import importlib.util, sys
missing = [m for m in ("torch", "transformers", "peft", "tokenizers") if importlib.util.find_spec(m) is None]
if missing:
    sys.exit("gpu-check needs " + ", ".join(missing) + " (pip install torch transformers peft)")
import torch, transformers, peft, tokenizers
cuda = torch.cuda.is_available()
print(f"torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}, "
      f"tokenizers {tokenizers.__version__}; CUDA: {torch.cuda.get_device_name(0) if cuda else 'none (CPU)'}")
EOF

bin=${BRIGHTRUN_BIN:-}
if [ -z "$bin" ]; then
  if command -v go >/dev/null 2>&1; then
    t=$(now)
    (cd "$root" && go build -o "$work/brightrun" .)
    bin=$work/brightrun
    echo "built brightrun in $(since "$t")"
  elif [ -x "$root/bin/brightrun" ]; then
    bin=$root/bin/brightrun
  else
    echo "no brightrun binary: set BRIGHTRUN_BIN, install go, or build bin/brightrun" >&2
    exit 2
  fi
fi

t=$(now)
python3 "$root/scripts/gpu_check.py" build "$work/model" "$root/assets/trainers/check_dataset.jsonl"
echo "1. tiny model and tokenizer: $(since "$t")"

t=$(now)
set +e
"$bin" trainer check --exec-trainer "exec python3 $root/assets/trainers/peft_lora.py" --base-model "$work/model" \
  --work-dir "$work/check" --timeout 4m --idle-timeout 2m --json >"$work/report.json" 2>"$work/trainer-stderr.log"
rc=$?
set -e
echo "2. brightrun trainer check (3 runs: full, stopped after a checkpoint, resumed): exit $rc in $(since "$t")"
if ! python3 "$root/scripts/gpu_check.py" summary "$work/report.json"; then
  echo "last lines of the trainer's stderr:" >&2
  tail -n 30 "$work/trainer-stderr.log" >&2
  exit 1
fi

t=$(now)
python3 "$root/scripts/gpu_check.py" generate "$work/model" "$work/check/output"
echo "3. adapter loaded and a reply generated: $(since "$t")"
echo "gpu-check: ok"
