package common

import (
	"context"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
)

// ConversationsBackend is what the Conversations and Training files tabs
// need from the engine: browsing and importing conversations, building
// training files from them, and the bridge that turns a training file into
// a dataset. The signatures are *engine.Session's, so a session satisfies
// it unchanged; every method does I/O and is only called from a tea.Cmd.
type ConversationsBackend interface {
	// ListConversations reads one page of table rows (never the files), so
	// the browse table can window a query of any size.
	ListConversations(ctx context.Context, q model.ConversationQuery) (model.ConversationPage, error)
	// ConversationIDs lists every row matching q, for "select all" of a
	// filtered view.
	ConversationIDs(ctx context.Context, q model.ConversationQuery) ([]uuid.UUID, error)
	Facets(ctx context.Context) (model.Facets, error)
	Conversation(ctx context.Context, id uuid.UUID) (engine.ConversationDetail, error)
	ExportConversation(ctx context.Context, id uuid.UUID, flavour, outPath string) (int64, error)
	// Import reports progress from the calling goroutine after every file.
	Import(ctx context.Context, paths []string, progress func(engine.ImportProgress)) (engine.ImportResult, error)

	CreateTrainingFile(ctx context.Context, name, description string, conversationIDs []uuid.UUID) (model.TrainingFile, error)
	AddToTrainingFile(ctx context.Context, id uuid.UUID, conversationIDs []uuid.UUID) (model.TrainingFile, error)
	RemoveFromTrainingFile(ctx context.Context, id uuid.UUID, conversationIDs []uuid.UUID) (model.TrainingFile, error)
	BuildTrainingFile(ctx context.Context, id uuid.UUID) (model.TrainingFile, error)
	TrainingFiles(ctx context.Context) ([]model.TrainingFile, error)
	TrainingFile(ctx context.Context, id uuid.UUID) (engine.TrainingFileDetail, error)
	DeleteTrainingFile(ctx context.Context, id uuid.UUID) error
	ExportTrainingFile(ctx context.Context, id uuid.UUID, format, outPath string) (int64, error)
	// DatasetFromTrainingFile copies the file's JSONL into a new dataset
	// and starts its validation; the Datasets tab follows it from there.
	DatasetFromTrainingFile(ctx context.Context, trainingFileID uuid.UUID, name string) (model.Dataset, error)
}
