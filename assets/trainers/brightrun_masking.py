"""Which tokens of a chat example a trainer learns: the assistant's turns only.

Pure Python, no torch or transformers, so that it can be tested anywhere
(test_brightrun_masking.py runs on a tokenizer-shaped fake).

The method works with any chat template, assistant turn by assistant turn:

1. render the conversation up to the turn with the generation prompt, and up
   to and including the turn: the turn's characters are what lies between;
2. check that each rendering is a prefix of the next (and of the whole);
3. tokenise the whole rendering once, with character offsets;
4. train only the tokens whose start offset lies inside a turn's span.

Character offsets avoid the merges across a boundary that break token-count
differences. A template that rewrites earlier turns (some drop the reasoning
of earlier answers) breaks the prefix property: then only the last assistant
turn is trained, and the caller says so once. An assistant message with
"weight": 0 is not trained on (OpenAI's convention). System and user tokens
are never trained.
"""

IGNORE = -100  # the label a loss ignores


class Masked:
    """One tokenised example: its ids, its labels and how it was masked."""

    __slots__ = ("input_ids", "labels", "trained", "fallback")

    def __init__(self, input_ids, labels, trained, fallback):
        self.input_ids = input_ids
        self.labels = labels
        self.trained = trained  # tokens with a label
        self.fallback = fallback  # True when only the last assistant turn could be found

    def as_features(self):
        return {"input_ids": self.input_ids, "attention_mask": [1] * len(self.input_ids), "labels": self.labels}


def _plain(messages):
    """The messages as the template sees them: role and content, nothing else."""
    return [{"role": m["role"], "content": m["content"]} for m in messages]


def assistant_spans(messages, render):
    """The rendering of the whole conversation and the character spans to train.

    render(messages, add_generation_prompt) returns the chat template's text.
    Returns (text, spans, fallback): spans is a list of (start, end) character
    ranges of text; fallback is True when the prefix property failed and only
    the last assistant turn's span is given.
    """
    full = render(_plain(messages), False)
    spans, prev, ok = [], "", True
    for i, m in enumerate(messages):
        if m["role"] != "assistant":
            continue
        try:
            before = render(_plain(messages[:i]), True)
            upto = render(_plain(messages[:i + 1]), False)
        except Exception:  # a template that refuses a partial conversation
            ok = False
            break
        if not (before.startswith(prev) and upto.startswith(before) and full.startswith(upto)):
            ok = False
            break
        prev = upto
        if trained_message(m) and len(upto) > len(before):
            spans.append((len(before), len(upto)))
    if ok:
        return full, spans, False
    return full, _last_turn_span(messages, render, full), True


def _last_turn_span(messages, render, full):
    """The last assistant turn's span, found without the prefix property.

    It starts after the generation prompt when the rendering up to it is a
    prefix of the whole, else where its content is last found; it ends with
    the rendering when the turn is the last message (its end-of-turn marker
    is trained, so the model learns to stop), else with its content.
    """
    last = max(i for i, m in enumerate(messages) if m["role"] == "assistant")
    m = messages[last]
    if not trained_message(m):
        return []
    try:
        before = render(_plain(messages[:last]), True)
    except Exception:
        before = None
    content_at = full.rfind(m["content"]) if m["content"] else -1
    if before is not None and full.startswith(before):
        start = len(before)
    elif content_at >= 0:
        start = content_at
    else:
        return []
    if last == len(messages) - 1:
        end = len(full)
    elif content_at >= start:
        end = content_at + len(m["content"])
    else:
        return []
    return [(start, end)] if end > start else []


def trained_message(m):
    """An assistant message is trained unless its weight is 0."""
    return m["role"] == "assistant" and m.get("weight", 1) != 0


def assistant_label_mask(messages, render, tokenize_with_offsets, max_length=None):
    """Tokenise one conversation and label only its assistant turns.

    tokenize_with_offsets(text) returns (ids, offsets), offsets a list of
    (start, end) character ranges, one per id. Tokens past max_length are
    cut. Returns a Masked, or None when no token is left to train (the
    example must then be dropped and counted).
    """
    if not any(m["role"] == "assistant" for m in messages):
        return None
    text, spans, fallback = assistant_spans(messages, render)
    ids, offsets = tokenize_with_offsets(text)
    if len(ids) != len(offsets):
        raise ValueError(f"the tokenizer gave {len(ids)} ids and {len(offsets)} offsets")
    if max_length is not None:
        ids, offsets = ids[:max_length], offsets[:max_length]
    labels, trained = [], 0
    for tok, (start, end) in zip(ids, offsets):
        if end > start and any(s <= start < e for s, e in spans):
            labels.append(tok)
            trained += 1
        else:
            labels.append(IGNORE)
    if trained == 0:
        return None
    return Masked(list(ids), labels, trained, fallback)


class MaskReport:
    """What masking a whole dataset did, for the trainer's log."""

    def __init__(self):
        self.kept = self.dropped = self.tokens = self.trained = self.fallbacks = 0

    def fraction_line(self):
        pct = 100 * self.trained / self.tokens if self.tokens else 0
        line = f"{pct:.0f}% of tokens trained: the assistant turns ({self.trained} of {self.tokens} tokens, {self.kept} examples)"
        if self.dropped:
            line += f"; {self.dropped} examples dropped: no assistant token left to train"
        return line


def mask_examples(examples, render, tokenize_with_offsets, max_length=None, log=None):
    """Mask every example; drop (and count) the ones with nothing to train.

    log(message) is called once if a template breaks the prefix property.
    Returns (features, report): features are dicts of input_ids,
    attention_mask and labels.
    """
    report, out, warned = MaskReport(), [], False
    for messages in examples:
        m = assistant_label_mask(messages, render, tokenize_with_offsets, max_length)
        if m is None:
            report.dropped += 1
            continue
        if m.fallback:
            report.fallbacks += 1
            if not warned and log is not None:
                log("the chat template rewrites earlier turns (a rendering is not a prefix of the next): "
                    "training the last assistant turn of such examples only")
                warned = True
        report.kept += 1
        report.tokens += len(m.input_ids)
        report.trained += m.trained
        out.append(m.as_features())
    return out, report
