package engine

import "brightrun/model"

// ServiceState is what one backing service answered when asked.
type ServiceState struct {
	OK       bool   `json:"ok"`
	Version  string `json:"version,omitempty"`
	Endpoint string `json:"endpoint,omitempty"`
	Error    string `json:"error,omitempty"`
	// PortChangedFrom is the local S3 gateway's previous port when its last
	// start found it taken; Note says what that means for handed-out URLs.
	PortChangedFrom int    `json:"port_changed_from,omitempty"`
	Note            string `json:"note,omitempty"`
}

// Status is the health and shape of the running installation, as
// `brightrun status` prints it and the TUI status bar shows it.
type Status struct {
	Postgres ServiceState     `json:"postgres"`
	S3       ServiceState     `json:"s3"`
	User     string           `json:"user"`
	DataDir  string           `json:"data_dir,omitempty"`
	Mode     string           `json:"mode"` // "local" (zero-config) or "shared"
	Counts   map[string]int64 `json:"counts"`
	// Budget is the operator's monthly budget and this month's spend, when
	// one is set.
	Budget *model.Budget `json:"budget,omitempty"`
}
