#!/bin/sh
# A stand-in trainer for `brightrun trainer check`: it speaks the exec
# trainer protocol and honours BRIGHTRUN_RESUME_STEP, except in the mode its
# first argument names: ok (conforms), garbage (prints a line that is not a
# protocol object), noadapter (writes no adapter), nan (a NaN loss, as
# Python's json writes it), restart (ignores the resume step), nockpt
# (reports no checkpoint), hang (goes silent). It checkpoints at the end of each epoch.
mode=${1:-ok}
out="$BRIGHTRUN_OUTPUT_DIR"
echo "check trainer: mode $mode, attempt $BRIGHTRUN_ATTEMPT, resume step $BRIGHTRUN_RESUME_STEP, model $BRIGHTRUN_BASE_MODEL" >&2
echo '{"type":"progress","stage":"loading_dataset","message":"fetching the dataset"}'
if command -v curl >/dev/null 2>&1; then
	curl -sf "$BRIGHTRUN_DATASET_URL" -o "$BRIGHTRUN_CHECKPOINT_DIR/dataset.jsonl" || { echo "dataset download failed" >&2; exit 4; }
	echo "{\"type\":\"log\",\"message\":\"$(wc -l <"$BRIGHTRUN_CHECKPOINT_DIR/dataset.jsonl" | tr -d ' ') dataset lines from $BRIGHTRUN_DATASET_URL\"}"
fi
grep -q '"base_model": "' "$BRIGHTRUN_JOB_SPEC" || { echo '{"type":"error","message":"no base_model in the spec"}'; exit 1; }
[ "$mode" = hang ] && sleep 30
start=$((BRIGHTRUN_RESUME_STEP + 1))
[ "$mode" = restart ] && start=1
total="$BRIGHTRUN_TOTAL_STEPS"
spe=$(sed -n 's/^  "steps_per_epoch": \([0-9]*\),$/\1/p' "$BRIGHTRUN_JOB_SPEC")
echo "{\"type\":\"progress\",\"stage\":\"training\",\"step\":$((start - 1)),\"total_steps\":$total}"
i=$start
while [ "$i" -le "$total" ]; do
	loss=$(awk "BEGIN{print 2.0/$i}")
	[ "$mode" = nan ] && [ "$i" -eq 3 ] && loss=NaN
	echo "{\"type\":\"metrics\",\"step\":$i,\"train_loss\":$loss}"
	[ "$mode" = garbage ] && [ "$i" -eq 2 ] && echo "Loading checkpoint shards: 100%"
	# a checkpoint per epoch (the last one after the validation point)
	[ "$mode" != nockpt ] && [ $((i % spe)) -eq 0 ] && [ "$i" -lt "$total" ] &&
		echo "{\"type\":\"checkpoint\",\"step\":$i,\"path\":\"$BRIGHTRUN_CHECKPOINT_DIR/checkpoint-$i\"}"
	i=$((i + 1))
done
echo "{\"type\":\"metrics\",\"step\":$total,\"val_loss\":0.75}"
[ "$mode" = nockpt ] || echo "{\"type\":\"checkpoint\",\"step\":$total,\"path\":\"$BRIGHTRUN_CHECKPOINT_DIR/checkpoint-$total\"}"
if [ "$mode" != noadapter ]; then
	printf '{"r": 8}\n' >"$out/adapter_config.json"
	printf 'weights' >"$out/adapter_model.safetensors"
fi
echo '{"type":"done","metrics":{"train_loss":0.5}}'
