#!/usr/bin/env python3
"""Brightrun exec trainer: LoRA fine-tuning with Hugging Face PEFT.

A worker on a GPU machine runs it for jobs created with `--trainer exec`:

    brightrun worker --exec-trainer "exec python3 assets/trainers/peft_lora.py"

It needs torch, transformers and peft (pip install torch transformers peft).
It reads the job spec Brightrun gives it (BRIGHTRUN_JOB_SPEC and the other
BRIGHTRUN_* variables): the job's base model ("base_model"; --base-model is
only a fallback), the dataset's presigned URL, the hyperparameters (rank,
alpha, dropout, learning rate, batch size, epochs; cosine schedule with 5%
warm-up), the share held out for validation ("eval_fraction", default 0.1)
or a validation dataset's URL. It trains on the assistant turns only
(brightrun_masking.py, beside this file): system and user tokens, and
assistant messages with "weight": 0, get no label. It keeps a checkpoint per
epoch in BRIGHTRUN_CHECKPOINT_DIR (a rescued job resumes from the last
complete one), evaluates after each epoch (loss and mean token accuracy),
stops early when the job asks ("early_stopping_patience": the Trainer's
EarlyStoppingCallback, keeping the best model), and saves the adapter
(adapter_config.json, adapter_model.safetensors and the tokenizer) into
BRIGHTRUN_OUTPUT_DIR.

It speaks Brightrun's protocol: one JSON object per line on stdout (see the
README's Trainers section). Everything else that would reach stdout (library
prints, progress bars) is sent to stderr, which Brightrun quotes when a job
fails. Under torchrun only rank 0 speaks. CUDA_VISIBLE_DEVICES, set by the
worker, is left as it is.
"""

import argparse
import inspect
import json
import math
import os
import random
import re
import sys
import time
import traceback
import urllib.request

# The masking module lies beside this script, wherever the worker runs it from.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brightrun_masking import mask_examples  # noqa: E402

DEFAULT_BASE_MODEL = "Qwen/Qwen2.5-0.5B-Instruct"
DEFAULT_EVAL_FRACTION = 0.1
SHUFFLE_SEED = 42  # examples are shuffled with it before the validation split

PROTO = None  # the real stdout, kept for protocol lines only


def emit(**msg):
    """Print one protocol line (rank 0 only); drop values JSON cannot hold."""
    if PROTO is None:
        return
    clean = {k: v for k, v in msg.items() if v is not None and not (isinstance(v, float) and not math.isfinite(v))}
    PROTO.write(json.dumps(clean) + "\n")
    PROTO.flush()


def log(*args):
    print(*args, file=sys.stderr, flush=True)


ROLES = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant", "system": "system",
         "bot": "assistant", "model": "assistant"}


def to_messages(obj):
    """One dataset line (chat, sharegpt, alpaca or brightrun-lora-v4 JSONL) as chat messages."""
    if isinstance(obj.get("messages"), list):
        msgs = [with_weight({"role": m.get("role"), "content": m.get("content") or ""}, m) for m in obj["messages"]]
    elif isinstance(obj.get("conversations"), list):
        msgs = [with_weight({"role": ROLES.get(m.get("from"), "user"), "content": m.get("value") or ""}, m)
                for m in obj["conversations"]]
    elif "instruction" in obj:
        prompt = obj["instruction"] + (("\n\n" + obj["input"]) if obj.get("input") else "")
        msgs = [{"role": "user", "content": prompt}, {"role": "assistant", "content": obj.get("output") or ""}]
    else:
        return None
    msgs = [m for m in msgs if m["role"] in ("system", "user", "assistant") and isinstance(m["content"], str)]
    if not any(m["role"] == "assistant" and m["content"] for m in msgs):
        return None
    return msgs


def with_weight(msg, raw):
    """Keep an assistant message's "weight" (0: not trained on)."""
    if msg["role"] == "assistant" and "weight" in raw:
        msg["weight"] = raw["weight"]
    return msg


def load_examples(path):
    examples = []
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            msgs = to_messages(json.loads(line))
            if msgs:
                examples.append(msgs)
    return examples


def renderer(tokenizer):
    """render(messages, add_generation_prompt) -> text, with the model's chat template when it has one."""
    if getattr(tokenizer, "chat_template", None):
        def render(msgs, add_generation_prompt):
            return tokenizer.apply_chat_template(msgs, tokenize=False, add_generation_prompt=add_generation_prompt,
                                                 return_dict=False)
        return render
    end = tokenizer.eos_token or ""

    def plain(msgs, add_generation_prompt):
        text = "".join(f"<|{m['role']}|>\n{m['content']}{end}\n" for m in msgs)
        return text + ("<|assistant|>\n" if add_generation_prompt else "")
    return plain


def offsets_tokenizer(tokenizer):
    """tokenize(text) -> (ids, character offsets); needs a fast tokenizer."""
    if not getattr(tokenizer, "is_fast", False):
        raise RuntimeError("the base model's tokenizer is not a fast one: training on the answers only needs its "
                           "character offsets (install `tokenizers`, or give a model with a tokenizer.json)")

    def tokenize(text):
        enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        return list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]]
    return tokenize


def job_settings(args, spec, env):
    """The base model, eval fraction and validation URL: the spec's, else the environment's, else the flags'."""
    base_model = spec.get("base_model") or env.get("BRIGHTRUN_BASE_MODEL") or args.base_model or DEFAULT_BASE_MODEL
    frac = spec.get("eval_fraction")
    if frac is None and env.get("BRIGHTRUN_EVAL_FRACTION"):
        frac = float(env["BRIGHTRUN_EVAL_FRACTION"])
    if frac is None:
        frac = args.eval_fraction if args.eval_fraction is not None else DEFAULT_EVAL_FRACTION
    if not 0 <= frac < 1:
        raise ValueError(f"eval_fraction {frac} is out of range: must be at least 0 and below 1")
    val = spec.get("validation_dataset") or {}
    val_url = val.get("url") or env.get("BRIGHTRUN_VALIDATION_DATASET_URL") or None
    return base_model, float(frac), val_url


def split(examples, frac):
    """Shuffle with a fixed seed, then hold out frac of the examples (at least one, none below 10 examples)."""
    examples = list(examples)
    random.Random(SHUFFLE_SEED).shuffle(examples)
    if frac <= 0 or len(examples) < 10:
        return examples, []
    n_eval = min(len(examples) - 1, max(1, round(len(examples) * frac)))
    return examples[n_eval:], examples[:n_eval]


def version(v):
    """"5.17.0.dev0" -> (5, 17)."""
    nums = [int(x) for x in re.findall(r"\d+", v)[:2]]
    return tuple(nums + [0] * (2 - len(nums)))


CHECKPOINT_RE = re.compile(r"^checkpoint-(\d+)$")


def checkpoint_missing(path):
    """What a checkpoint dir lacks to resume from (a worker may have died while writing it); [] when complete."""
    want = [("trainer_state.json",), ("adapter_model.safetensors", "adapter_model.bin"), ("optimizer.pt", "optimizer.bin"),
            ("scheduler.pt",)]
    return [names[0] for names in want if not any(os.path.isfile(os.path.join(path, n)) for n in names)]


def last_complete_checkpoint(ckpt_dir):
    """The newest complete checkpoint-N dir, and the incomplete ones passed over."""
    if not os.path.isdir(ckpt_dir):
        return None, []
    found = sorted(((int(m.group(1)), name) for name in os.listdir(ckpt_dir) if (m := CHECKPOINT_RE.match(name))),
                   reverse=True)
    skipped = []
    for step, name in found:
        path = os.path.join(ckpt_dir, name)
        missing = checkpoint_missing(path)
        if not missing:
            return path, skipped
        skipped.append(f"{name} (no {', '.join(missing)})")
    return None, skipped


def early_stopping_patience(spec, env):
    """The job's patience (0: off): the spec's, else BRIGHTRUN_EARLY_STOPPING_PATIENCE."""
    n = spec.get("early_stopping_patience")
    if n is None:
        n = int(env.get("BRIGHTRUN_EARLY_STOPPING_PATIENCE") or 0)
    if not 0 <= int(n) <= 100:
        raise ValueError(f"early_stopping_patience {n} is out of range: must be between 0 (off) and 100")
    return int(n)


def token_accuracy(preds, labels):
    """(right, counted): predicted tokens (argmax, already shifted or not) that match labels != -100.

    preds[i][t] predicts labels[i][t + 1], as the causal loss counts them."""
    right = counted = 0
    for p_row, l_row in zip(preds, labels):
        p_row, l_row = list(p_row), list(l_row)
        for p, l in zip(p_row[:-1], l_row[1:]):
            if l != -100:
                counted += 1
                right += int(p == l)
    return right, counted


def stop_reason(epoch, total_epochs, since, best_loss, best_epoch):
    """Why a run stopped early, in Brightrun's words."""
    evals = "evaluation" if since == 1 else "evaluations"
    return (f"stopped early at epoch {epoch:g} of {total_epochs}: validation loss has not improved for {since} {evals} "
            f"(best {best_loss:.2f} at epoch {best_epoch:g})")


def early_stop_report(log_history, total_epochs):
    """(reason, best_step) from the Trainer's evaluations, when the last ones brought no better loss; else (None, None)."""
    evals = [h for h in log_history if "eval_loss" in h]
    if not evals:
        return None, None
    best = min(range(len(evals)), key=lambda i: (evals[i]["eval_loss"], i))
    since = len(evals) - 1 - best
    if since == 0:
        return None, None
    b, last = evals[best], evals[-1]
    return (stop_reason(round(last.get("epoch", 0), 2), total_epochs, since, b["eval_loss"], round(b.get("epoch", 0), 2)),
            int(b.get("step", 0)))


def best_eval_step(log_history):
    """The step of the evaluation with the lowest loss (the first of equals), or None without one."""
    evals = [h for h in log_history if "eval_loss" in h]
    if not evals:
        return None
    return int(min(evals, key=lambda h: h["eval_loss"]).get("step", 0))


def fetch_dataset(url, dest):
    """Download once per machine; a resumed attempt reuses the copy."""
    if os.path.exists(dest):
        return dest
    tmp = dest + ".part"
    with urllib.request.urlopen(url, timeout=60) as r, open(tmp, "wb") as f:
        while True:
            chunk = r.read(1 << 20)
            if not chunk:
                break
            f.write(chunk)
    os.replace(tmp, dest)
    return dest


def training_args_kwargs(cls, **kw):
    """Keep only the arguments this transformers version knows (eval_strategy was evaluation_strategy)."""
    params = inspect.signature(cls.__init__).parameters
    if "eval_strategy" not in params and "eval_strategy" in kw:
        kw["evaluation_strategy"] = kw.pop("eval_strategy")
    return {k: v for k, v in kw.items() if k in params}


def train(args, spec):
    try:
        import torch
        import transformers
        from peft import LoraConfig, get_peft_model
        from transformers import (AutoModelForCausalLM, AutoTokenizer, DataCollatorForSeq2Seq, EarlyStoppingCallback,
                                  Trainer, TrainerCallback, TrainingArguments)
    except ImportError as e:
        emit(type="error", message=f"peft_lora.py needs torch, transformers and peft on the worker machine: {e}")
        return 2

    hp = spec["hyperparameters"]
    out_dir, ckpt_dir = spec["output_dir"], spec["checkpoint_dir"]
    base_model, eval_fraction, val_url = job_settings(args, spec, os.environ)
    patience = early_stopping_patience(spec, os.environ)
    emit(type="progress", stage="loading_dataset", message=f"downloading dataset {spec['dataset']['name']!r}")
    path = fetch_dataset(spec["dataset"]["url"], os.path.join(ckpt_dir, "dataset.jsonl"))
    examples = load_examples(path)
    if not examples:
        emit(type="error", message="the dataset has no usable examples")
        return 1
    if val_url:
        train_examples = examples
        eval_examples = load_examples(fetch_dataset(val_url, os.path.join(ckpt_dir, "validation.jsonl")))
        random.Random(SHUFFLE_SEED).shuffle(train_examples)
        how = f"validation dataset of {len(eval_examples)} examples"
    else:
        train_examples, eval_examples = split(examples, eval_fraction)
        how = f"{eval_fraction:g} of the examples held out" if eval_examples else "no validation split"
    emit(type="log", level="info", message=f"{len(train_examples)} training and {len(eval_examples)} validation examples ({how})")

    emit(type="progress", stage="loading_model", message=f"loading {base_model}")
    tv = version(transformers.__version__)
    cuda = torch.cuda.is_available()
    if not cuda:
        emit(type="log", level="warning", message="no CUDA device: training on the CPU (slow)")
    bf16 = cuda and torch.cuda.is_bf16_supported()
    tokenizer = AutoTokenizer.from_pretrained(base_model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    dtype = torch.bfloat16 if bf16 else (torch.float16 if cuda else torch.float32)
    dtype_kw = "dtype" if tv >= (4, 56) else "torch_dtype"  # torch_dtype is deprecated since 4.56
    model = AutoModelForCausalLM.from_pretrained(base_model, **{dtype_kw: dtype})
    # "all-linear" must stay a string: peft then leaves lm_head out.
    targets = args.target_modules if args.target_modules == "all-linear" else args.target_modules.split(",")
    model = get_peft_model(model, LoraConfig(r=hp["rank"], lora_alpha=hp["alpha"], lora_dropout=hp["dropout"],
                                             target_modules=targets, task_type="CAUSAL_LM"))

    # Train on the assistant turns only (brightrun_masking.py).
    render, tokenize = renderer(tokenizer), offsets_tokenizer(tokenizer)

    def warn(msg):
        emit(type="log", level="warning", message=msg)

    train_set, report = mask_examples(train_examples, render, tokenize, args.max_length, log=warn)
    eval_set, eval_report = mask_examples(eval_examples, render, tokenize, args.max_length, log=warn)
    emit(type="log", level="info", message=report.fraction_line())
    if eval_report.dropped:
        warn(f"{eval_report.dropped} validation examples dropped: no assistant token left to train")
    if not train_set:
        emit(type="error", message="no training example has an assistant token to train on")
        return 1

    if patience and not eval_set:
        warn(f"early stopping (patience {patience}) needs validation examples: there are none, so it is off")
        patience = 0

    # The training accuracy of the batches since the last log line.
    seen = {"right": 0, "counted": 0}

    class AccuracyTrainer(Trainer):
        """A Trainer that also counts the training batches' mean token accuracy."""

        def compute_loss(self, model, inputs, return_outputs=False, **kw):
            loss, outputs = super().compute_loss(model, inputs, return_outputs=True, **kw)
            if model.training and inputs.get("labels") is not None:
                right, counted = token_accuracy(outputs.logits.detach().argmax(-1).tolist(), inputs["labels"].tolist())
                seen["right"] += right
                seen["counted"] += counted
            return (loss, outputs) if return_outputs else loss

    def argmax_logits(logits, labels):
        """Keep only the predicted token ids of an evaluation batch, not the logits (vocab-sized)."""
        return (logits[0] if isinstance(logits, tuple) else logits).argmax(-1)

    def eval_accuracy(p):
        right, counted = token_accuracy(p.predictions, p.label_ids)
        return {"mean_token_accuracy": right / counted} if counted else {}

    class Report(TrainerCallback):
        """Turns the Trainer's events into protocol lines."""

        def __init__(self):
            self.last_time, self.last_tokens = time.time(), 0
            self.latest = {}  # the last losses and accuracies, for the checkpoint lines

        def on_train_begin(self, targs, state, control, **kw):
            emit(type="progress", stage="training", step=state.global_step, total_steps=state.max_steps,
                 message=f"{len(train_set)} training and {len(eval_set)} validation examples")

        def on_log(self, targs, state, control, logs=None, **kw):
            logs = logs or {}
            if "loss" in logs:
                if not math.isfinite(logs["loss"]):  # emit() drops it: say so, or the curve hides it
                    emit(type="log", level="warning", message=f"train_loss is {logs['loss']} at step {state.global_step}")
                now, tokens = time.time(), getattr(state, "num_input_tokens_seen", 0) or 0
                tps = (tokens - self.last_tokens) / max(now - self.last_time, 1e-6) if tokens else None
                self.last_time, self.last_tokens = now, tokens
                util = None
                if cuda:
                    try:
                        util = float(torch.cuda.utilization())
                    except Exception:  # needs pynvml
                        util = None
                acc = seen["right"] / seen["counted"] if seen["counted"] else None
                seen["right"] = seen["counted"] = 0
                emit(type="metrics", step=state.global_step, epoch=state.epoch, train_loss=logs["loss"],
                     learning_rate=logs.get("learning_rate"), grad_norm=logs.get("grad_norm"),
                     tokens_per_sec=tps, gpu_utilization=util, mean_token_accuracy=acc)
                self.latest.update(train_loss=logs["loss"], mean_token_accuracy=acc)
            if "eval_loss" in logs:
                acc = logs.get("eval_mean_token_accuracy")
                emit(type="progress", stage="validating", step=state.global_step, epoch=state.epoch)
                emit(type="metrics", step=state.global_step, epoch=state.epoch, val_loss=logs["eval_loss"],
                     val_mean_token_accuracy=acc)
                emit(type="progress", stage="training", step=state.global_step)
                self.latest.update(val_loss=logs["eval_loss"], val_mean_token_accuracy=acc)

        def on_save(self, targs, state, control, **kw):
            emit(type="checkpoint", step=state.global_step, epoch=state.epoch,
                 path=os.path.join(targs.output_dir, f"checkpoint-{state.global_step}"), **self.latest)

    warmup = {"warmup_steps": 0.05} if tv >= (5, 0) else {"warmup_ratio": 0.05}  # v5 reads warmup_steps < 1 as a ratio
    targs = TrainingArguments(**training_args_kwargs(
        TrainingArguments, output_dir=ckpt_dir, per_device_train_batch_size=hp["batch_size"],
        per_device_eval_batch_size=hp["batch_size"], num_train_epochs=hp["epochs"], learning_rate=hp["learning_rate"],
        lr_scheduler_type="cosine", logging_steps=1, save_strategy="epoch", save_total_limit=2,
        eval_strategy="epoch" if eval_set else "no", report_to=[], bf16=bf16, fp16=cuda and not bf16,
        load_best_model_at_end=bool(patience), metric_for_best_model="eval_loss" if patience else None,
        greater_is_better=False if patience else None,
        disable_tqdm=True, remove_unused_columns=False, label_names=["labels"], seed=SHUFFLE_SEED,
        include_num_input_tokens_seen="non_padding" if tv >= (5, 0) else True, **warmup))
    tk = {"processing_class": tokenizer} if "processing_class" in inspect.signature(Trainer.__init__).parameters \
        else {"tokenizer": tokenizer}
    callbacks = [Report()]
    if patience:
        callbacks.append(EarlyStoppingCallback(early_stopping_patience=patience))
    trainer = AccuracyTrainer(model=model, args=targs, train_dataset=train_set, eval_dataset=eval_set or None,
                              data_collator=DataCollatorForSeq2Seq(tokenizer, padding=True), callbacks=callbacks,
                              compute_metrics=eval_accuracy if eval_set else None,
                              preprocess_logits_for_metrics=argmax_logits if eval_set else None,
                              **tk)
    last, incomplete = last_complete_checkpoint(ckpt_dir)
    for name in incomplete:
        warn(f"checkpoint {name} is incomplete: not resumed from")
    resume_step = int(os.environ.get("BRIGHTRUN_RESUME_STEP") or spec.get("resume_from_step") or 0)
    if last:
        emit(type="log", level="info", message=f"resuming from {os.path.basename(last)} (BRIGHTRUN_RESUME_STEP {resume_step})")
    elif resume_step > 0:
        warn(f"asked to resume after step {resume_step}, but there is no complete checkpoint: training from the start")
    result = trainer.train(resume_from_checkpoint=last)

    final = {"train_loss": result.metrics.get("train_loss")}
    evals = [h["eval_loss"] for h in trainer.state.log_history if "eval_loss" in h]
    if evals:  # the last epoch's validation loss: no second evaluation
        final["val_loss"] = evals[-1]
    emit(type="progress", stage="saving", message="saving the adapter")
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    emit(type="artifact", path=".")
    done = {"metrics": {k: v for k, v in final.items() if isinstance(v, float) and math.isfinite(v)}}
    if patience:
        # load_best_model_at_end put the best weights back, whether
        # EarlyStoppingCallback ended the run or it ran its course.
        reason, best_step = early_stop_report(trainer.state.log_history, hp["epochs"])
        if reason and trainer.state.global_step < trainer.state.max_steps:
            done.update(stop_reason=reason, best_step=best_step)
        elif (best := best_eval_step(trainer.state.log_history)) is not None:
            done.update(best_step=best)
    emit(type="done", **done)
    log(f"transformers {transformers.__version__}: adapter of {base_model} saved to {out_dir}")
    return 0


def main():
    global PROTO
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base-model", default=None,
                   help="Hugging Face model id or local path, used only when the job spec names none "
                        f"(its base_model, or env BRIGHTRUN_BASE_MODEL; default {DEFAULT_BASE_MODEL})")
    p.add_argument("--target-modules", default="all-linear", help='"all-linear" or a comma list, e.g. q_proj,v_proj')
    p.add_argument("--max-length", type=int, default=2048, help="tokens per example; longer ones are cut")
    p.add_argument("--eval-fraction", type=float, default=None,
                   help="share of examples held out for validation, when the job spec sets none "
                        f"(its eval_fraction, or env BRIGHTRUN_EVAL_FRACTION; default {DEFAULT_EVAL_FRACTION}; 0: none)")
    args = p.parse_args()

    # Protocol lines go to the real stdout; anything else written to fd 1 goes to stderr.
    rank0 = os.environ.get("RANK", "0") == "0"
    proto_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    if rank0:
        PROTO = os.fdopen(proto_fd, "w", buffering=1)

    spec_path = os.environ.get("BRIGHTRUN_JOB_SPEC")
    if not spec_path:
        emit(type="error", message="BRIGHTRUN_JOB_SPEC is not set: run me as `brightrun worker --exec-trainer CMD`")
        return 2
    with open(spec_path) as f:
        spec = json.load(f)
    try:
        return train(args, spec)
    except Exception as e:  # every failure reaches the operator as one line
        traceback.print_exc()
        emit(type="error", message=f"{type(e).__name__}: {e}"[:2000])
        return 1


if __name__ == "__main__":
    sys.exit(main())
