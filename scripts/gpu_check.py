#!/usr/bin/env python3
"""The Python parts of scripts/gpu-check.sh (no model hub needed).

  gpu_check.py build DIR DATASET     a tiny random Llama and a BPE tokenizer trained on DATASET's text, saved in DIR
  gpu_check.py generate MODEL ADAPTER   load the adapter with peft and generate a reply
  gpu_check.py summary REPORT        what `brightrun trainer check --json` measured
"""

import json
import os
import sys
import time

SPECIALS = ["<|bos|>", "<|eos|>", "<|pad|>", "<|im_start|>", "<|im_end|>"]

# ChatML with {% generation %} around what the assistant says (so
# return_assistant_tokens_mask works too); each rendering of a conversation
# is a prefix of the next, as brightrun_masking expects.
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n"
    "{% if m['role'] == 'assistant' %}{% generation %}{{ m['content'] }}<|im_end|>{% endgeneration %}"
    "{% else %}{{ m['content'] }}<|im_end|>{% endif %}\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

ROUND_TRIP = "The capital of France is Paris, and 3 plus 4 is 7."


def texts(dataset):
    with open(dataset, encoding="utf-8") as f:
        for line in f:
            for m in json.loads(line)["messages"]:
                yield m["role"]
                yield m["content"]


def build(out, dataset):
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM
    try:
        from transformers import PreTrainedTokenizerFast
    except ImportError:  # transformers v5 may name it TokenizersBackend only
        from transformers import TokenizersBackend as PreTrainedTokenizerFast

    t0 = time.time()
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(list(texts(dataset)), trainers.BpeTrainer(
        vocab_size=1000, min_frequency=1, special_tokens=SPECIALS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|bos|>", eos_token="<|im_end|>", pad_token="<|pad|>",
                                   additional_special_tokens=["<|im_start|>"])
    fast.chat_template = CHAT_TEMPLATE
    fast.save_pretrained(out)
    # A config naming a Llama tokenizer class is rebuilt in v5 with a
    # pre-tokenizer that drops spaces: name the generic fast class.
    cfg_path = os.path.join(out, "tokenizer_config.json")
    with open(cfg_path) as f:
        cfg = json.load(f)
    cfg["tokenizer_class"] = "PreTrainedTokenizerFast"
    with open(cfg_path, "w") as f:
        json.dump(cfg, f, indent=2)

    # Reload it exactly as the trainer will, and check it round-trips spaces.
    re = AutoTokenizer.from_pretrained(out)
    ids = re(ROUND_TRIP, add_special_tokens=False)["input_ids"]
    back = re.decode(ids)
    if back != ROUND_TRIP:
        sys.exit(f"the tokenizer does not round-trip text: {ROUND_TRIP!r} came back as {back!r}")
    if not re.is_fast:
        sys.exit("the reloaded tokenizer is not a fast one")

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(re), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=512,
                         bos_token_id=re.bos_token_id, eos_token_id=re.eos_token_id, pad_token_id=re.pad_token_id,
                         tie_word_embeddings=False)
    model = LlamaForCausalLM(config)
    model.generation_config.eos_token_id = re.eos_token_id
    model.generation_config.pad_token_id = re.pad_token_id
    model.save_pretrained(out)
    n = sum(p.numel() for p in model.parameters())
    print(f"tiny model: LlamaConfig 2 layers, hidden 64, vocab {len(re)} ({n:,} parameters); "
          f"tokenizer round-trips {ROUND_TRIP!r} in {len(ids)} tokens; built in {time.time() - t0:.1f}s")


def generate(model_dir, adapter_dir):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    t0 = time.time()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    tok = AutoTokenizer.from_pretrained(adapter_dir if os.path.exists(os.path.join(adapter_dir, "tokenizer_config.json")) else model_dir)
    base = AutoModelForCausalLM.from_pretrained(model_dir)
    model = PeftModel.from_pretrained(base, adapter_dir).to(device)
    model.eval()
    msgs = [{"role": "system", "content": "You are a terse assistant. Answer in one short sentence."},
            {"role": "user", "content": "What is the capital of France?"}]
    inputs = tok.apply_chat_template(msgs, add_generation_prompt=True, return_dict=True, return_tensors="pt").to(device)
    with torch.no_grad():
        out = model.generate(**inputs, max_new_tokens=24, do_sample=False, eos_token_id=tok.eos_token_id,
                             pad_token_id=tok.pad_token_id)
    new = out[0, inputs["input_ids"].shape[1]:]
    if len(new) == 0:
        sys.exit("generation returned no token")
    print(f"generation on {device}: {len(new)} new tokens in {time.time() - t0:.1f}s (adapter loaded with peft): "
          f"{tok.decode(new, skip_special_tokens=False)!r}")


def summary(report_path):
    with open(report_path) as f:
        r = json.load(f)
    print(f"trainer check: {'conforms' if r['ok'] else 'does NOT conform'} (model {r['base_model']}, dataset {r['dataset']})")
    for c in r["checks"]:
        mark = "skip" if c.get("skipped") else ("ok" if c["ok"] else "FAIL")
        print(f"  {mark:4}  {c['name']:9}  {c['detail'].splitlines()[0] if c['detail'] else ''}")
    for line in r.get("trainer_log", []):
        if "tokens trained" in line or "validation examples" in line:
            print(f"  trainer: {line}")
    out = r.get("output_dir")
    if out and os.path.isdir(out):
        size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out) if os.path.isfile(os.path.join(out, f)))
        print(f"  adapter dir: {len(os.listdir(out))} files, {size:,} bytes")
    return 0 if r["ok"] else 1


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    cmd = sys.argv[1]
    if cmd == "build" and len(sys.argv) == 4:
        build(sys.argv[2], sys.argv[3])
    elif cmd == "generate" and len(sys.argv) == 4:
        generate(sys.argv[2], sys.argv[3])
    elif cmd == "summary" and len(sys.argv) == 3:
        return summary(sys.argv[2])
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
