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


class EarlyStopping(unittest.TestCase):
    def test_patience_from_the_spec_then_the_env(self):
        self.assertEqual(peft_lora.early_stopping_patience({"early_stopping_patience": 2}, {"BRIGHTRUN_EARLY_STOPPING_PATIENCE": "5"}), 2)
        self.assertEqual(peft_lora.early_stopping_patience({}, {"BRIGHTRUN_EARLY_STOPPING_PATIENCE": "5"}), 5)
        self.assertEqual(peft_lora.early_stopping_patience({}, {}), 0)
        with self.assertRaises(ValueError):
            peft_lora.early_stopping_patience({"early_stopping_patience": 101}, {})

    def test_report_names_the_best_evaluation(self):
        history = [{"loss": 2.0, "step": 5}, {"eval_loss": 1.5, "epoch": 1.0, "step": 10},
                   {"eval_loss": 1.42, "epoch": 2.0, "step": 20}, {"eval_loss": 1.5, "epoch": 3.0, "step": 30},
                   {"eval_loss": 1.61, "epoch": 4.0, "step": 40}]
        self.assertEqual(peft_lora.early_stop_report(history, 5),
                         ("stopped early at epoch 4 of 5: validation loss has not improved for 2 evaluations "
                          "(best 1.42 at epoch 2)", 20))
        self.assertEqual(peft_lora.early_stop_report(history[:3], 5), (None, None))
        self.assertEqual(peft_lora.early_stop_report([], 5), (None, None))
        self.assertEqual(peft_lora.best_eval_step(history), 20)
        self.assertIsNone(peft_lora.best_eval_step(history[:1]))


class TokenAccuracy(unittest.TestCase):
    def test_shifted_and_masked(self):
        # preds[t] predicts labels[t + 1]; -100 is not counted.
        preds = [[7, 8, 9, 0], [1, 2, 3, 4]]
        labels = [[-100, 7, 8, 5], [-100, -100, 2, 3]]
        self.assertEqual(peft_lora.token_accuracy(preds, labels), (2 + 2, 3 + 2))


class Version(unittest.TestCase):
    def test_version(self):
        self.assertEqual(peft_lora.version("5.17.0.dev0"), (5, 17))
        self.assertGreaterEqual(peft_lora.version("4.56.1"), (4, 56))


if __name__ == "__main__":
    unittest.main()
