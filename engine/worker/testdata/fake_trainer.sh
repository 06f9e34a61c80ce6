#!/bin/sh
# A stand-in for a real trainer command: it speaks the exec trainer
# protocol (one JSON object per stdout line) in the way the job's name asks
# (the name is the first "name" in the job spec), so the tests can drive
# every path: ok, crash, garbage, hang, error, hostile (escape sequences),
# slow (for cancellation), early (three epochs, a checkpoint each, stopped
# early keeping the second), gpus* (says which GPUs it was given, on stderr,
# and trains for 3 s, so runs on one worker overlap; 10 s when the name
# ends in -long), spec (also hands back its job spec and the
# model and validation variables as files of the adapter), stubborn (slow,
# ignoring SIGTERM: only SIGKILL stops it).
mode=$(sed -n 's/^  "name": "\(.*\)",$/\1/p' "$BRIGHTRUN_JOB_SPEC" | head -n 1)
out="$BRIGHTRUN_OUTPUT_DIR"
echo "fake trainer starting in mode $mode" >&2
echo '{"type":"progress","stage":"loading_dataset","message":"fetching the dataset"}'
if command -v curl >/dev/null 2>&1; then
	curl -sf "$BRIGHTRUN_DATASET_URL" -o "$out/dataset_copy.jsonl" || { echo "dataset download failed" >&2; exit 4; }
fi
case "$mode" in
crash)
	echo '{"type":"progress","stage":"training","step":1}'
	echo "Traceback (most recent call last):" >&2
	echo "RuntimeError: CUDA error: device-side assert triggered" >&2
	exit 3 ;;
garbage)
	echo '{"type":"progress","stage":"training","step":1}'
	echo "Loading checkpoint shards: 100%"
	sleep 30 ;;
hang)
	echo '{"type":"progress","stage":"training","step":1}'
	sleep 30 ;;
error)
	echo '{"type":"error","message":"base model not found: llama-9"}'
	exit 1 ;;
hostile)
	# Escape sequences in its output and in an event: they are data, and
	# must reach no operator's terminal as sequences.
	printf 'colour \033[31mred\033[0m clip \033]52;c;SGVsbG8=\007 ask \033[6n\n' >&2
	printf '%s\n' '{"type":"log","level":"warning","message":"event \u001b]52;c;SGVsbG8=\u0007 \u001b[6n"}'
	exit 3 ;;
gpus*)
	echo "cuda_visible_devices=$CUDA_VISIBLE_DEVICES" >&2
	echo '{"type":"progress","stage":"training","step":1}'
	case "$mode" in *-long) sleep 10 ;; *) sleep 3 ;; esac ;;
slow|stubborn)
	# Ignored signals stay ignored in the children (sleep) too.
	[ "$mode" = stubborn ] && trap '' TERM
	i=1
	while [ "$i" -le 600 ]; do
		echo "{\"type\":\"metrics\",\"step\":$i,\"train_loss\":2.0}"
		i=$((i + 1))
		sleep 0.1
	done ;;
early)
	for e in 1 2 3; do
		val=$(echo "1.5 1.42 1.6" | cut -d' ' -f"$e")
		echo "{\"type\":\"metrics\",\"step\":$((e * 10)),\"epoch\":$e,\"train_loss\":$(awk "BEGIN{print 2.0/$e}"),\"mean_token_accuracy\":0.$((5 + e))}"
		echo "{\"type\":\"metrics\",\"step\":$((e * 10)),\"epoch\":$e,\"val_loss\":$val,\"val_mean_token_accuracy\":0.6}"
		mkdir -p "$BRIGHTRUN_CHECKPOINT_DIR/checkpoint-$((e * 10))"
		printf 'state %s\n' "$e" > "$BRIGHTRUN_CHECKPOINT_DIR/checkpoint-$((e * 10))/trainer_state.json"
		echo "{\"type\":\"checkpoint\",\"step\":$((e * 10)),\"epoch\":$e,\"path\":\"checkpoint-$((e * 10))\"}"
	done
	printf 'weights of step 20' > "$out/adapter_model.safetensors"
	echo '{"type":"done","stop_reason":"stopped early at epoch 3 of 3: validation loss has not improved for 1 evaluation (best 1.42 at epoch 2)","best_step":20}'
	exit 0 ;;
spec)
	cp "$BRIGHTRUN_JOB_SPEC" "$out/job_spec.json"
	env | grep -E '^BRIGHTRUN_(BASE_MODEL|EVAL_FRACTION|VALIDATION_DATASET_URL)=' | sort > "$out/job_env.txt"
	echo '{"type":"artifact","path":"job_spec.json"}'
	echo '{"type":"artifact","path":"job_env.txt"}' ;;
esac
total="$BRIGHTRUN_TOTAL_STEPS"
i=1
while [ "$i" -le "$total" ]; do
	echo "{\"type\":\"metrics\",\"step\":$i,\"train_loss\":$(awk "BEGIN{print 2.0/$i}"),\"learning_rate\":0.00005}"
	i=$((i + 1))
done
echo "{\"type\":\"metrics\",\"step\":$total,\"val_loss\":0.75,\"val_mean_token_accuracy\":0.7}"
mkdir -p "$BRIGHTRUN_CHECKPOINT_DIR/final" && printf '{"step": %s}\n' "$total" > "$BRIGHTRUN_CHECKPOINT_DIR/final/trainer_state.json"
echo "{\"type\":\"checkpoint\",\"step\":$total,\"path\":\"$BRIGHTRUN_CHECKPOINT_DIR/final\"}"
echo '{"type":"log","level":"warning","message":"this adapter was made by a fake trainer"}'
echo '{"type":"log","level":"info","message":"merged 2 shards"}'
printf 'progress 10%%\rprogress 100%%\n' >&2
printf '{"r": 8}\n' > "$out/adapter_config.json"
printf 'weights' > "$out/adapter_model.safetensors"
echo '{"type":"artifact","path":"adapter_config.json"}'
echo '{"type":"artifact","path":"adapter_model.safetensors"}'
[ -f "$out/dataset_copy.jsonl" ] && echo '{"type":"artifact","path":"dataset_copy.jsonl"}'
echo '{"type":"done","metrics":{"train_loss":0.5}}'
