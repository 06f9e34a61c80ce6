package engine

import (
	"brightrun/model/convfile"
	"brightrun/model/tokens"
)

// cl100k counts tokens with OpenAI's cl100k_base vocabulary through the fast
// counter of model/tokens, whose counts a differential fuzz test proves
// identical to github.com/tiktoken-go/tokenizer's. Special-token strings
// such as <|endoftext|> count as ordinary text (docs/formats.md#datasets-and-validation). It is safe
// for concurrent use.
type cl100k struct{}

// Count tokenizes s.
func (cl100k) Count(s string) int { return tokens.Count(s) }

// Tokens returns the shared cl100k counter.
func Tokens() convfile.TokenCounter { return cl100k{} }
