"""Tests of brightrun_masking on a tokenizer-shaped fake (stdlib only).

Run: python3 -m unittest discover -s assets/trainers (make test runs it).
"""

import re
import unittest

from brightrun_masking import IGNORE, assistant_label_mask, mask_examples


def chatml(messages, add_generation_prompt):
    """A ChatML template, as Qwen's: each turn <|im_start|>role\\ncontent<|im_end|>\\n."""
    text = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return text + ("<|im_start|>assistant\n" if add_generation_prompt else "")


def rewriting(messages, add_generation_prompt):
    """A template that rewrites earlier answers (drops their <think> part), as reasoning models' do."""
    last = max((i for i, m in enumerate(messages) if m["role"] == "assistant"), default=-1)
    out = []
    for i, m in enumerate(messages):
        c = m["content"]
        if m["role"] == "assistant" and i != last:
            c = re.sub(r"<think>.*?</think>", "", c)
        out.append({"role": m["role"], "content": c})
    return chatml(out, add_generation_prompt)


TOKEN = re.compile(r"<\|[a-z_]+\|>|\w+|\s|[^\w\s]")


def fake_tokenize(text):
    """Word-level ids with offsets, special markers one token each, as a fast tokenizer returns them."""
    ids, offsets = [], []
    for m in TOKEN.finditer(text):
        ids.append(sum(map(ord, m.group())) % 997 + 3)
        offsets.append((m.start(), m.end()))
    return ids, offsets


def trained_text(messages, render, max_length=None):
    """The characters of the tokens that got a label, joined."""
    m = assistant_label_mask(messages, render, fake_tokenize, max_length)
    if m is None:
        return None
    text = render([{"role": x["role"], "content": x["content"]} for x in messages], False)
    _, offsets = fake_tokenize(text)
    return "".join(text[s:e] for (s, e), lab in zip(offsets, m.labels) if lab != IGNORE)


SYS = {"role": "system", "content": "You are terse."}


def user(c):
    return {"role": "user", "content": c}


def bot(c, **kw):
    return {"role": "assistant", "content": c, **kw}


class AssistantLabelMask(unittest.TestCase):
    def test_exactly_the_assistant_turns_are_trained(self):
        msgs = [SYS, user("What is two and two?"), bot("Four."), user("And three?"), bot("Five, then.")]
        self.assertEqual(trained_text(msgs, chatml), "Four.<|im_end|>\nFive, then.<|im_end|>\n")

    def test_labels_are_the_ids_where_trained(self):
        msgs = [user("hi there"), bot("hello you")]
        m = assistant_label_mask(msgs, chatml, fake_tokenize)
        self.assertEqual(len(m.labels), len(m.input_ids))
        for tok, lab in zip(m.input_ids, m.labels):
            self.assertIn(lab, (tok, IGNORE))
        self.assertEqual(m.trained, sum(lab != IGNORE for lab in m.labels))
        self.assertFalse(m.fallback)

    def test_system_and_user_never(self):
        msgs = [SYS, user("secret user words"), bot("ok")]
        got = trained_text(msgs, chatml)
        for word in ("terse", "secret", "user", "system"):
            self.assertNotIn(word, got)

    def test_weight_zero_is_not_trained(self):
        msgs = [user("a?"), bot("Wrong answer.", weight=0), user("again?"), bot("Right answer.", weight=1)]
        self.assertEqual(trained_text(msgs, chatml), "Right answer.<|im_end|>\n")

    def test_prefix_failure_trains_the_last_turn_only(self):
        msgs = [user("q1"), bot("<think>hmm</think>A1"), user("q2"), bot("<think>so</think>A2")]
        m = assistant_label_mask(msgs, rewriting, fake_tokenize)
        self.assertTrue(m.fallback)
        self.assertEqual(trained_text(msgs, rewriting), "<think>so</think>A2<|im_end|>\n")

    def test_prefix_failure_logged_once(self):
        msgs = [user("q1"), bot("<think>x</think>A1"), user("q2"), bot("A2")]
        said = []
        feats, rep = mask_examples([msgs, msgs, msgs], rewriting, fake_tokenize, log=said.append)
        self.assertEqual(len(said), 1)
        self.assertEqual((rep.kept, rep.fallbacks, len(feats)), (3, 3, 3))

    def test_an_example_with_nothing_to_train_is_dropped(self):
        only_zero = [user("q"), bot("a", weight=0)]
        no_answer = [SYS, user("q")]
        ok = [user("q"), bot("a")]
        feats, rep = mask_examples([only_zero, ok, no_answer], chatml, fake_tokenize)
        self.assertEqual((rep.kept, rep.dropped, len(feats)), (1, 2, 1))
        self.assertIn("2 examples dropped", rep.fraction_line())

    def test_truncation_that_cuts_every_answer_drops_it(self):
        msgs = [user("a long question " * 20), bot("answer")]
        self.assertIsNone(assistant_label_mask(msgs, chatml, fake_tokenize, max_length=10))
        self.assertIsNotNone(assistant_label_mask(msgs, chatml, fake_tokenize))

    def test_fraction_line(self):
        msgs = [SYS, user("q"), bot("a")]
        feats, rep = mask_examples([msgs], chatml, fake_tokenize)
        self.assertEqual(rep.tokens, len(feats[0]["input_ids"]))
        self.assertRegex(rep.fraction_line(), r"^\d+% of tokens trained: the assistant turns \(")
        self.assertTrue(0 < rep.trained < rep.tokens)

    def test_merges_across_the_boundary_go_by_start_offset(self):
        # A tokenizer that merges the generation prompt's newline with the
        # answer's first characters: the merged token starts before the span,
        # so it is not trained, and the rest of the answer is.
        def merging(text):
            ids, offsets = fake_tokenize(text)
            out_i, out_o, i = [], [], 0
            while i < len(ids):
                if text[offsets[i][0]:offsets[i][1]] == "\n" and i + 1 < len(ids):
                    out_i.append(ids[i] + ids[i + 1])
                    out_o.append((offsets[i][0], offsets[i + 1][1]))
                    i += 2
                    continue
                out_i.append(ids[i])
                out_o.append(offsets[i])
                i += 1
            return out_i, out_o

        msgs = [user("q"), bot("Yes indeed")]
        m = assistant_label_mask(msgs, chatml, merging)
        self.assertIsNotNone(m)
        text = chatml(msgs, False)
        _, offs = merging(text)
        got = "".join(text[s:e] for (s, e), lab in zip(offs, m.labels) if lab != IGNORE)
        self.assertEqual(got, " indeed<|im_end|>\n")


if __name__ == "__main__":
    unittest.main()
