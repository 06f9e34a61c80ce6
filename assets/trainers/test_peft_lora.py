"""Tests of peft_lora.py's parts that need no torch (stdlib only)."""

import argparse
import json
import os
import tempfile
import unittest

import peft_lora


def args(**kw):
    return argparse.Namespace(**{"base_model": None, "eval_fraction": None, **kw})


class JobSettings(unittest.TestCase):
    def test_the_spec_wins_over_env_and_flags(self):
        spec = {"base_model": "spec/model", "eval_fraction": 0.2, "validation_dataset": {"url": "http://v"}}
        env = {"BRIGHTRUN_BASE_MODEL": "env/model", "BRIGHTRUN_EVAL_FRACTION": "0.3", "BRIGHTRUN_VALIDATION_DATASET_URL": "http://e"}
        got = peft_lora.job_settings(args(base_model="flag/model", eval_fraction=0.4), spec, env)
        self.assertEqual(got, ("spec/model", 0.2, "http://v"))

    def test_env_then_flag_then_default(self):
        env = {"BRIGHTRUN_BASE_MODEL": "env/model", "BRIGHTRUN_EVAL_FRACTION": "0"}
        self.assertEqual(peft_lora.job_settings(args(base_model="flag/model"), {"validation_dataset": None}, env),
                         ("env/model", 0.0, None))
        self.assertEqual(peft_lora.job_settings(args(base_model="flag/model", eval_fraction=0.3), {"base_model": ""}, {}),
                         ("flag/model", 0.3, None))
        self.assertEqual(peft_lora.job_settings(args(), {}, {}), (peft_lora.DEFAULT_BASE_MODEL, 0.1, None))

    def test_bad_fraction(self):
        with self.assertRaises(ValueError):
            peft_lora.job_settings(args(), {"eval_fraction": 1.5}, {})


class Split(unittest.TestCase):
    def test_shuffled_with_a_fixed_seed_then_split(self):
        ex = list(range(40))
        train, val = peft_lora.split(ex, 0.1)
        self.assertEqual((len(train), len(val)), (36, 4))
        self.assertEqual(sorted(train + val), ex)
        self.assertNotEqual(train + val, ex)  # shuffled
        self.assertEqual(peft_lora.split(ex, 0.1), (train, val))  # the same every time
        self.assertEqual(len(peft_lora.split(ex, 0)[1]), 0)


class Messages(unittest.TestCase):
    def test_weight_kept_on_assistant_messages(self):
        line = {"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a", "weight": 0},
                             {"role": "user", "content": "q2"}, {"role": "assistant", "content": "b"}]}
        msgs = peft_lora.to_messages(line)
        self.assertEqual(msgs[1], {"role": "assistant", "content": "a", "weight": 0})
        self.assertNotIn("weight", msgs[3])


class Checkpoints(unittest.TestCase):
    def test_the_newest_complete_checkpoint(self):
        with tempfile.TemporaryDirectory() as d:
            def make(name, files):
                os.makedirs(os.path.join(d, name))
                for f in files:
                    with open(os.path.join(d, name, f), "w") as fh:
                        fh.write("x")
            full = ["trainer_state.json", "adapter_model.safetensors", "optimizer.pt", "scheduler.pt"]
            make("checkpoint-10", full)
            make("checkpoint-20", full[:2])  # a worker died while writing it
            make("checkpoint-9", full)
            last, skipped = peft_lora.last_complete_checkpoint(d)
            self.assertEqual(os.path.basename(last), "checkpoint-10")
            self.assertEqual(skipped, ["checkpoint-20 (no optimizer.pt, scheduler.pt)"])
            self.assertEqual(peft_lora.last_complete_checkpoint(os.path.join(d, "none")), (None, []))


class Version(unittest.TestCase):
    def test_version(self):
        self.assertEqual(peft_lora.version("5.17.0.dev0"), (5, 17))
        self.assertGreaterEqual(peft_lora.version("4.56.1"), (4, 56))


if __name__ == "__main__":
    unittest.main()
