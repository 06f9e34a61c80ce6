// Package model holds Brightrun's domain types and rules: job and dataset
// status machines, hyperparameters and their allowed ranges, training presets,
// the GPU catalog and the cost estimate. Two subpackages build on its
// types: model/convfile (the conversation file codec and brightrun-lora-v4)
// and model/simulate (the simulated trainer's curves).
//
// It is pure on purpose: no I/O and no imports of other Brightrun packages (its subpackages import it), so
// the store, the engine, the CLI and the TUI can all share one definition of
// the rules and it can be tested without a database.
package model
