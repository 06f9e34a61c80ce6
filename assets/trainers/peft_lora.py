#!/usr/bin/env python3
"""Brightrun exec trainer: LoRA fine-tuning with Hugging Face PEFT.

A worker on a GPU machine runs it for jobs created with `--trainer exec`:

    brightrun worker --exec-trainer "python3 assets/trainers/peft_lora.py --base-model Qwen/Qwen2.5-0.5B-Instruct"

It needs torch, transformers and peft (pip install torch transformers peft).
It reads the job spec Brightrun gives it (BRIGHTRUN_JOB_SPEC and the other
BRIGHTRUN_* variables), downloads the dataset from its presigned URL, trains
a LoRA adapter with the job's hyperparameters (rank, alpha, dropout,
learning rate, batch size, epochs; cosine schedule with 5% warm-up), keeps
a checkpoint per epoch in BRIGHTRUN_CHECKPOINT_DIR (a rescued job resumes
from the last one), evaluates on a held-out 5% after each epoch, and saves
the adapter (adapter_config.json, adapter_model.safetensors and the
tokenizer) into BRIGHTRUN_OUTPUT_DIR.

It speaks Brightrun's protocol: one JSON object per line on stdout (see the
README's Trainers section). Everything else that would reach stdout (library
prints, progress bars) is sent to stderr, which Brightrun quotes when a job
fails. Under torchrun only rank 0 speaks.
"""

import argparse
import inspect
import json
import math
import os
import sys
import time
import traceback
import urllib.request

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
        msgs = [{"role": m.get("role"), "content": m.get("content") or ""} for m in obj["messages"]]
    elif isinstance(obj.get("conversations"), list):
        msgs = [{"role": ROLES.get(m.get("from"), "user"), "content": m.get("value") or ""} for m in obj["conversations"]]
    elif "instruction" in obj:
        prompt = obj["instruction"] + (("\n\n" + obj["input"]) if obj.get("input") else "")
        msgs = [{"role": "user", "content": prompt}, {"role": "assistant", "content": obj.get("output") or ""}]
    else:
        return None
    msgs = [m for m in msgs if m["role"] in ("system", "user", "assistant") and isinstance(m["content"], str)]
    if not any(m["role"] == "assistant" and m["content"] for m in msgs):
        return None
    return msgs


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


def render(tokenizer, msgs):
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(msgs, tokenize=False)
    return "".join(f"<|{m['role']}|>\n{m['content']}\n" for m in msgs) + (tokenizer.eos_token or "")


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
        from transformers import (AutoModelForCausalLM, AutoTokenizer, DataCollatorForSeq2Seq, Trainer,
                                  TrainerCallback, TrainingArguments)
        from transformers.trainer_utils import get_last_checkpoint
    except ImportError as e:
        emit(type="error", message=f"peft_lora.py needs torch, transformers and peft on the worker machine: {e}")
        return 2

    hp = spec["hyperparameters"]
    out_dir, ckpt_dir = spec["output_dir"], spec["checkpoint_dir"]
    emit(type="progress", stage="loading_dataset", message=f"downloading dataset {spec['dataset']['name']!r}")
    path = fetch_dataset(spec["dataset"]["url"], os.path.join(ckpt_dir, "dataset.jsonl"))
    examples = load_examples(path)
    if not examples:
        emit(type="error", message="the dataset has no usable examples")
        return 1

    emit(type="progress", stage="loading_model", message=f"loading {args.base_model}")
    cuda = torch.cuda.is_available()
    if not cuda:
        emit(type="log", level="warning", message="no CUDA device: training on the CPU (slow)")
    bf16 = cuda and torch.cuda.is_bf16_supported()
    tokenizer = AutoTokenizer.from_pretrained(args.base_model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(
        args.base_model, torch_dtype=torch.bfloat16 if bf16 else (torch.float16 if cuda else torch.float32))
    targets = args.target_modules if args.target_modules == "all-linear" else args.target_modules.split(",")
    model = get_peft_model(model, LoraConfig(r=hp["rank"], lora_alpha=hp["alpha"], lora_dropout=hp["dropout"],
                                             target_modules=targets, task_type="CAUSAL_LM"))

    def encode(msgs):
        ids = tokenizer(render(tokenizer, msgs), truncation=True, max_length=args.max_length,
                        add_special_tokens=False)["input_ids"]
        return {"input_ids": ids, "attention_mask": [1] * len(ids), "labels": list(ids)}

    encoded = [encode(m) for m in examples]
    n_eval = max(1, round(len(encoded) * args.eval_fraction)) if len(encoded) >= 20 else 0
    eval_set, train_set = encoded[:n_eval], encoded[n_eval:]

    class Report(TrainerCallback):
        """Turns the Trainer's events into protocol lines."""

        def __init__(self):
            self.last_time, self.last_tokens = time.time(), 0

        def on_train_begin(self, targs, state, control, **kw):
            emit(type="progress", stage="training", step=state.global_step, total_steps=state.max_steps,
                 message=f"{len(train_set)} training and {len(eval_set)} validation examples")

        def on_log(self, targs, state, control, logs=None, **kw):
            logs = logs or {}
            if "loss" in logs:
                now, tokens = time.time(), getattr(state, "num_input_tokens_seen", 0) or 0
                tps = (tokens - self.last_tokens) / max(now - self.last_time, 1e-6) if tokens else None
                self.last_time, self.last_tokens = now, tokens
                util = None
                if cuda:
                    try:
                        util = float(torch.cuda.utilization())
                    except Exception:  # needs pynvml
                        util = None
                emit(type="metrics", step=state.global_step, epoch=state.epoch, train_loss=logs["loss"],
                     learning_rate=logs.get("learning_rate"), grad_norm=logs.get("grad_norm"),
                     tokens_per_sec=tps, gpu_utilization=util)
            if "eval_loss" in logs:
                emit(type="progress", stage="validating", step=state.global_step, epoch=state.epoch)
                emit(type="metrics", step=state.global_step, epoch=state.epoch, val_loss=logs["eval_loss"])
                emit(type="progress", stage="training", step=state.global_step)

        def on_save(self, targs, state, control, **kw):
            emit(type="checkpoint", step=state.global_step,
                 path=os.path.join(targs.output_dir, f"checkpoint-{state.global_step}"))

    targs = TrainingArguments(**training_args_kwargs(
        TrainingArguments, output_dir=ckpt_dir, per_device_train_batch_size=hp["batch_size"],
        per_device_eval_batch_size=hp["batch_size"], num_train_epochs=hp["epochs"], learning_rate=hp["learning_rate"],
        lr_scheduler_type="cosine", warmup_ratio=0.05, logging_steps=1, save_strategy="epoch", save_total_limit=2,
        eval_strategy="epoch" if eval_set else "no", report_to=[], bf16=bf16, fp16=cuda and not bf16,
        disable_tqdm=True, remove_unused_columns=False, include_num_input_tokens_seen=True, seed=42))
    trainer = Trainer(model=model, args=targs, train_dataset=train_set, eval_dataset=eval_set or None,
                      data_collator=DataCollatorForSeq2Seq(tokenizer, padding=True), callbacks=[Report()])
    last = get_last_checkpoint(ckpt_dir) if os.path.isdir(ckpt_dir) else None
    if last:
        emit(type="log", level="info", message=f"resuming from {last}")
    result = trainer.train(resume_from_checkpoint=last)

    emit(type="progress", stage="saving", message="saving the adapter")
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    final = {"train_loss": result.metrics.get("train_loss")}
    if eval_set:
        final["val_loss"] = trainer.evaluate().get("eval_loss")
    emit(type="artifact", path=".")
    emit(type="done", metrics={k: v for k, v in final.items() if isinstance(v, float) and math.isfinite(v)})
    log(f"transformers {transformers.__version__}: adapter saved to {out_dir}")
    return 0


def main():
    global PROTO
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base-model", default=os.environ.get("BRIGHTRUN_BASE_MODEL", "Qwen/Qwen2.5-0.5B-Instruct"),
                   help="Hugging Face model id or local path (env BRIGHTRUN_BASE_MODEL)")
    p.add_argument("--target-modules", default="all-linear", help='"all-linear" or a comma list, e.g. q_proj,v_proj')
    p.add_argument("--max-length", type=int, default=2048, help="tokens per example; longer ones are cut")
    p.add_argument("--eval-fraction", type=float, default=0.05, help="share of examples held out for validation")
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
