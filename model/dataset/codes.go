package dataset

// Code names one rule a line breaks (docs/formats.md#datasets-and-validation). Scripts match on these
// strings, so they never change.
type Code string

// The codes of docs/formats.md#datasets-and-validation. All are errors but TooManyTokens,
// Duplicate and SameRoleRun, which are warnings: they do not stop a dataset
// being training ready.
const (
	InvalidJSON        Code = "invalid_json"
	NotObject          Code = "not_object"
	InvalidUTF8        Code = "invalid_utf8"
	LineTooLong        Code = "line_too_long"
	ShapeMismatch      Code = "shape_mismatch"
	MissingMessages    Code = "missing_messages"
	EmptyMessages      Code = "empty_messages"
	MessageNotObject   Code = "message_not_object"
	MissingRole        Code = "missing_role"
	UnknownRole        Code = "unknown_role"
	MissingContent     Code = "missing_content"
	EmptyContent       Code = "empty_content"
	UnexpectedKey      Code = "unexpected_key"
	NoAssistantMessage Code = "no_assistant_message"
	LastNotAssistant   Code = "last_not_assistant"
	MisplacedSystem    Code = "misplaced_system"
	BadWeight          Code = "bad_weight"
	TooManyTokens      Code = "too_many_tokens"
	Duplicate          Code = "duplicate"
	SameRoleRun        Code = "same_role_run"
)

// codeID indexes the per-shape, per-code counters workers keep, so counting
// an error is an array increment rather than a map update.
type codeID uint8

const (
	cValid codeID = iota // no error
	cInvalidJSON
	cNotObject
	cInvalidUTF8
	cLineTooLong
	cShapeMismatch
	cMissingMessages
	cEmptyMessages
	cMessageNotObject
	cMissingRole
	cUnknownRole
	cMissingContent
	cEmptyContent
	cUnexpectedKey
	cNoAssistantMessage
	cLastNotAssistant
	cMisplacedSystem
	cBadWeight
	// cNoShape is a JSON object with none of the keys that show a shape.
	// Which code it becomes depends on the dataset's shape, known only
	// once the lines are merged in order: missing_messages for chat and
	// sharegpt, missing_content (no instruction) for alpaca.
	cNoShape
	numCodes
)

// codeNames maps IDs to the public codes (cNoShape has none of its own).
var codeNames = [numCodes]Code{
	cInvalidJSON:        InvalidJSON,
	cNotObject:          NotObject,
	cInvalidUTF8:        InvalidUTF8,
	cLineTooLong:        LineTooLong,
	cShapeMismatch:      ShapeMismatch,
	cMissingMessages:    MissingMessages,
	cEmptyMessages:      EmptyMessages,
	cMessageNotObject:   MessageNotObject,
	cMissingRole:        MissingRole,
	cUnknownRole:        UnknownRole,
	cMissingContent:     MissingContent,
	cEmptyContent:       EmptyContent,
	cUnexpectedKey:      UnexpectedKey,
	cNoAssistantMessage: NoAssistantMessage,
	cLastNotAssistant:   LastNotAssistant,
	cMisplacedSystem:    MisplacedSystem,
	cBadWeight:          BadWeight,
}

// shapeless reports whether a code is decided before a line's shape is
// known (the line is not a JSON object, or not read at all), so no shape
// resolution applies to it.
func (c codeID) shapeless() bool {
	return c == cInvalidJSON || c == cNotObject || c == cInvalidUTF8 || c == cLineTooLong
}
