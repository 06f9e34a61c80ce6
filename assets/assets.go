// Package assets holds files compiled into the brightrun binary, so a fresh
// install works with zero configuration.
package assets

import "embed"

// GPUCatalog is the default GPU catalog (JSON {"gpus":[...]}, parsed by
// model.ParseCatalog). Operators can override it with their own file.
//
//go:embed gpus.json
var GPUCatalog []byte

// Migrations are the SQL schema migrations (goose format), applied in
// version order on start and by `brightrun migrate`.
//
//go:embed migrations/*.sql
var Migrations embed.FS
