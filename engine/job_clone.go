package engine

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"brightrun/model"
)

// CloneOptions are what an operator changes when running a job again; the
// zero value changes nothing.
type CloneOptions struct {
	DatasetID uuid.UUID // uuid.Nil: the source's dataset
	// Preset, when given, starts from that preset's values instead of the
	// source's (Overrides still apply on top).
	Preset    string
	GPUType   string // "": the source's
	GPUCount  int    // 0: the source's
	Overrides model.HyperOverrides
	Name      string // "": the source's name marked as a clone (CloneName)
	Trainer   string // "": the source's trainer
	BaseModel string // "": the source's model
	// EvalFraction, when set, holds out that share for validation instead
	// of the source's fraction or validation dataset.
	EvalFraction *float64
	// ValidationDatasetID, when set, replaces the source's validation.
	ValidationDatasetID *uuid.UUID
	// EarlyStoppingPatience, when set, replaces the source's.
	EarlyStoppingPatience *int
	// MaxCost, when set, replaces the source's cost cap.
	MaxCost *float64
}

// cloneSuffix marks the default name of a clone.
const cloneSuffix = " · clone"

// CloneName is the default name of a job cloned from one named name: the
// name marked once, however often it is cloned, and cut to leave the mark
// room within model.MaxNameLen.
func CloneName(name string) string {
	name = strings.TrimSpace(name)
	if strings.HasSuffix(name, cloneSuffix) {
		return name
	}
	if room := model.MaxNameLen - utf8.RuneCountInString(cloneSuffix); utf8.RuneCountInString(name) > room {
		name = strings.TrimSpace(string([]rune(name)[:room-1])) + "…"
	}
	return name + cloneSuffix
}

// CloneRequest is the request that runs src again with o's changes: its
// dataset, GPUs, trainer, base model, validation, preset and every
// hyperparameter it ran with.
// Alpha and dropout are carried only where src set them apart from their
// defaults (2 × rank, 0.05), so a clone with another rank keeps alpha in
// step with it as a new job would.
func CloneRequest(src model.Job, o CloneOptions) JobRequest {
	id := src.ID
	req := JobRequest{
		DatasetID: src.DatasetID, Preset: src.Preset, GPU: src.GPUConfig,
		Name: o.Name, Trainer: src.Trainer, ClonedFrom: &id,
		BaseModel: src.BaseModel, EvalFraction: src.EvalFraction, ValidationDatasetID: src.ValidationDatasetID,
		EarlyStoppingPatience: src.EarlyStoppingPatience, MaxCost: src.MaxCost,
	}
	if o.MaxCost != nil {
		req.MaxCost = o.MaxCost
	}
	if o.BaseModel != "" {
		req.BaseModel = o.BaseModel
	}
	if o.EarlyStoppingPatience != nil {
		req.EarlyStoppingPatience = *o.EarlyStoppingPatience
	}
	switch {
	case o.ValidationDatasetID != nil:
		req.ValidationDatasetID, req.EvalFraction = o.ValidationDatasetID, nil
	case o.EvalFraction != nil:
		req.EvalFraction, req.ValidationDatasetID = o.EvalFraction, nil
	}
	if req.Name == "" {
		req.Name = CloneName(src.Name)
	}
	if o.DatasetID != uuid.Nil {
		req.DatasetID = o.DatasetID
	}
	if o.GPUType != "" {
		req.GPU.Type = o.GPUType
	}
	if o.GPUCount != 0 {
		req.GPU.Count = o.GPUCount
	}
	if o.Trainer != "" {
		req.Trainer = o.Trainer
	}
	if o.Preset != "" {
		req.Preset, req.Overrides = o.Preset, o.Overrides
		return req
	}
	h := src.Hyperparameters
	base := model.HyperOverrides{LearningRate: &h.LearningRate, BatchSize: &h.BatchSize, Epochs: &h.Epochs, Rank: &h.Rank}
	if h.Alpha != 2*h.Rank {
		base.Alpha = &h.Alpha
	}
	if h.Dropout != model.DefaultDropout {
		base.Dropout = &h.Dropout
	}
	req.Overrides = layer(base, o.Overrides)
	return req
}

// layer is base with every value given in top put over it.
func layer(base, top model.HyperOverrides) model.HyperOverrides {
	pick := func(dst **float64, v *float64) {
		if v != nil {
			*dst = v
		}
	}
	pickInt := func(dst **int, v *int) {
		if v != nil {
			*dst = v
		}
	}
	pick(&base.LearningRate, top.LearningRate)
	pickInt(&base.BatchSize, top.BatchSize)
	pickInt(&base.Epochs, top.Epochs)
	pickInt(&base.Rank, top.Rank)
	pickInt(&base.Alpha, top.Alpha)
	pick(&base.Dropout, top.Dropout)
	return base
}

// CloneJob launches one of the operator's jobs again with o's changes
// (CloneRequest), through the same checks as CreateJob: another operator's
// job is not found, a dataset no longer trainable is refused with the
// reason. The new job records the one it was cloned from.
func (s *Session) CloneJob(ctx context.Context, from uuid.UUID, o CloneOptions) (model.Job, error) {
	req, err := s.CloneRequestFor(ctx, from, o)
	if err != nil {
		return model.Job{}, err
	}
	return s.CreateJob(ctx, req)
}

// CloneRequestFor is the request that clones one of the operator's jobs
// (CloneRequest), for a preview before CreateJob.
func (s *Session) CloneRequestFor(ctx context.Context, from uuid.UUID, o CloneOptions) (JobRequest, error) {
	src, err := s.Job(ctx, from)
	if err != nil {
		return JobRequest{}, fmt.Errorf("clone: %w", err)
	}
	return CloneRequest(src, o), nil
}
