// Package convfile is the conversation file codec and the brightrun-lora-v4
// training file format: it parses and checks conversation files as an
// operator imports them, decodes the stored ones, counts their training
// tokens and assembles training.json and training.jsonl.
//
// It is pure, like model, whose types it reads and writes: no I/O, and of
// Brightrun's packages it imports model only.
package convfile
