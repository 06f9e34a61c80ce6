// Package assets holds files compiled into the brightrun binary, so a fresh
// install works with zero configuration.
package assets

import "embed"

// GPUCatalog is the default GPU catalog (JSON {"gpus":[...]}, parsed by
// model.ParseCatalog). Operators can override it with their own file.
//
//go:embed gpus.json
var GPUCatalog []byte

// ModelCatalog is the default base model catalog (JSON {"models":[...]},
// parsed by model.ParseModelCatalog). Operators can override it with their
// own file.
//
//go:embed models.json
var ModelCatalog []byte

// Migrations are the SQL schema migrations (goose format), applied in
// version order on start and by `brightrun migrate`.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// Reference is the seed data of the reference tables: reference/personas.json,
// reference/emotional_arcs.json and reference/training_topics.json (arrays of
// {key, name, description} objects; arcs add tier).
//
//go:embed reference/*.json
var Reference embed.FS

// Demo holds the demo conversations (demo/conversations/*.json, raw and
// enriched files in the import format), seeded into a new zero-config
// installation and by `brightrun demo seed`.
//
//go:embed demo/conversations/*.json
var Demo embed.FS

// TrainerCheckDataset is the small chat dataset `brightrun trainer check`
// trains on when no --dataset is given (system, user and assistant turns,
// some multi-turn, one assistant answer with "weight": 0), also the text
// scripts/gpu-check.sh trains its tiny tokenizer on.
//
//go:embed trainers/check_dataset.jsonl
var TrainerCheckDataset []byte
