// Package dataset validates uploaded JSONL datasets (docs/formats.md#datasets-and-validation): it
// streams a file of up to 500 MiB once, in chunks of whole lines that
// workers on every core check with a hand-written JSON scanner and count
// with the cl100k tokens package, merges their results in line order, and
// reports the shape, each error at its line, token statistics, warnings
// and samples. Its Report is what `brightrun dataset validate --json`
// prints (docs/cli.md). It decides whether money is spent on training, so its rules
// are held by tests to a plain encoding/json implementation
// (reference_test.go), line by line (FuzzValidateLine) and file by file.
//
// Where docs/formats.md is silent, this package decides:
//
//   - A line is at most 1 MiB (1,048,576 bytes) without its \n or \r\n. A
//     blank line is empty or only spaces, tabs and \r.
//   - A line has one error: the first rule it breaks, in this order: too
//     long, invalid UTF-8, invalid JSON (what json.Valid rejects, and a
//     key given twice in any object at any depth, keys compared
//     unescaped: invalid_json naming the object's JSON path), not an
//     object; then its shape against the dataset's; then its
//     shape's rules: the list (missing or not a list: missing_messages;
//     empty: empty_messages), each message in turn (not an object; a key
//     not allowed; no role; a role that is not a string or not known:
//     unknown_role; no content: missing_content; content not a string,
//     empty or only whitespace: empty_content; a system message after the
//     first), then no assistant message, then a last message that is not
//     the assistant's. Keys are case-sensitive.
//   - A line's shape comes from its keys: messages, else conversations,
//     else instruction or output. The dataset's shape is the first valid
//     line's; with no valid line, the first line showing a shape's;
//     "unknown" when none does. Every line of another shape, valid or not,
//     is a shape_mismatch; an object with none of the keys is
//     missing_messages (missing_content, no instruction, for alpaca).
//   - sharegpt applies the chat rules to conversations, from and value,
//     with the same extra keys; from human or user is the user, gpt or
//     assistant the assistant, system the system prompt, tool or
//     observation a tool result.
//   - alpaca needs instruction and output, non-blank strings (absent:
//     missing_content, otherwise empty_content); input is optional and may
//     be empty but must be a string; other top-level keys are allowed, as
//     in chat. An example counts as two messages: the instruction with its
//     input, and the output.
//   - Two examples are duplicates when their messages have the same roles
//     and texts, whatever their metadata, names, escapes or key order.
//
// Memory stays flat: the chunks in flight are bounded (see chunkSize),
// lines over the limit are skipped, never held, and a worker drops the
// buffers an extreme line grew (a 1 MiB line of empty messages needs 14 MB
// while it is checked). The one thing that grows with the file is the set
// of content hashes for duplicates, about 16 bytes per distinct example
// (see dupSet).
package dataset
