package uitest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/model/dataset"
)

// Datasets is the fixed list, newest first, one of each status a screen
// must draw: one validating (no report yet), one failed with errors of
// several codes, one ready with warnings and a long token tail, and a small
// ready alpaca set.
func Datasets(userID uuid.UUID) []model.Dataset {
	d := func(i int, name, file string, size int64, ago time.Duration) model.Dataset {
		id := uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-0000000da7a%d", i))
		return model.Dataset{
			ID: id, UserID: userID, Name: name, StorageBucket: "lora-datasets",
			StoragePath: fmt.Sprintf("%s/%s/%s", userID, id, file), FileName: file, FileSize: size,
			CreatedAt: Now.Add(-ago), UpdatedAt: Now.Add(-ago + time.Minute),
		}
	}
	validated := func(ds model.Dataset, r dataset.Report) model.Dataset {
		at := ds.CreatedAt.Add(time.Minute)
		ds.Format, ds.TrainingReady = string(r.Shape), r.TrainingReady
		ds.Status = model.DatasetReady
		for _, n := range r.ErrorCounts {
			ds.ErrorCount += n
		}
		ds.TotalTrainingPairs, ds.TotalTokens, ds.ValidatedAt = r.Valid, r.TotalTokens, &at
		ds.AvgTokensPerExample, ds.AvgTurnsPerConversation = r.Tokens.Mean, r.Messages.Mean
		ds.ValidationErrors, ds.ValidationReport, ds.SampleData = mustJSON(r.Errors), mustJSON(r), mustJSON(r.Samples)
		return ds
	}

	tone := d(1, "tone-tuner-v2", "tone-tuner-v2.jsonl", 4_404_019, time.Minute)
	tone.Status = model.DatasetValidating

	faq := validated(d(2, "scraped-faq", "scraped-faq.jsonl", 831_488, 5*time.Hour), faqReport())
	faq.ErrorMessage = "12 errors (invalid_json 7, empty_content 3, last_not_assistant 2); first at line 4: unexpected end of JSON input"

	support := validated(d(3, "support-2024-q4", "support-2024-q4.jsonl", 12_897_484, 26*time.Hour), supportReport())
	support.Description = "Support conversations of Q4 2024, enriched"

	alpaca := validated(d(4, "alpaca-mini", "alpaca-mini.jsonl", 52_113, 16*24*time.Hour), dataset.Report{
		File: "alpaca-mini.jsonl", Shape: dataset.ShapeAlpaca, Lines: 48, Valid: 48, TrainingReady: true,
		Errors: []dataset.Issue{}, ErrorCounts: map[dataset.Code]int{},
		Warnings: []dataset.Issue{}, WarningCounts: map[dataset.Code]int{},
		TotalTokens: 9_821, Tokens: dataset.TokenStats{Min: 61, Mean: 204.6, P50: 198, P95: 251, Max: 255},
		Messages: dataset.MessageStats{Min: 2, Mean: 2, Max: 2}, TokenHistogram: buckets(48),
		Samples: []json.RawMessage{
			json.RawMessage(`{"instruction":"Give three tips for staying healthy.","input":"","output":"Eat a balanced diet, exercise regularly and sleep enough."}`),
		},
	})
	return []model.Dataset{tone, faq, support, alpaca}
}

// faqReport failed: a sharegpt scrape with broken lines.
func faqReport() dataset.Report {
	errs := []dataset.Issue{
		{Line: 4, Code: dataset.InvalidJSON, Message: "unexpected end of JSON input"},
		{Line: 17, Code: dataset.EmptyContent, Message: "conversations[1].value is empty"},
		{Line: 23, Code: dataset.InvalidJSON, Message: "invalid character '}' looking for beginning of object key string"},
		{Line: 31, Code: dataset.LastNotAssistant, Message: "the last message is from human, not gpt"},
		{Line: 58, Code: dataset.InvalidJSON, Message: "unexpected end of JSON input"},
		{Line: 77, Code: dataset.EmptyContent, Message: "conversations[3].value is whitespace only"},
		{Line: 92, Code: dataset.InvalidJSON, Message: "unexpected end of JSON input"},
		{Line: 104, Code: dataset.InvalidJSON, Message: "invalid character 'x' in string escape code"},
		{Line: 131, Code: dataset.LastNotAssistant, Message: "the last message is from human, not gpt"},
		{Line: 150, Code: dataset.InvalidJSON, Message: "unexpected end of JSON input"},
		{Line: 166, Code: dataset.EmptyContent, Message: "conversations[1].value is empty"},
		{Line: 188, Code: dataset.InvalidJSON, Message: "unexpected end of JSON input"},
	}
	return dataset.Report{
		File: "scraped-faq.jsonl", Shape: dataset.ShapeShareGPT, Lines: 193, BlankLines: 1, Valid: 180,
		Errors: errs, ErrorCounts: map[dataset.Code]int{dataset.InvalidJSON: 7, dataset.EmptyContent: 3, dataset.LastNotAssistant: 2},
		Warnings:      []dataset.Issue{{Line: 45, Code: dataset.Duplicate, Message: "same content as line 12"}},
		WarningCounts: map[dataset.Code]int{dataset.Duplicate: 1}, Duplicates: 1,
		TotalTokens: 17_352, Tokens: dataset.TokenStats{Min: 18, Mean: 96.4, P50: 88, P95: 201, Max: 388},
		Messages: dataset.MessageStats{Min: 2, Mean: 2.4, Max: 6}, TokenHistogram: buckets(176, 4),
		Samples: []json.RawMessage{
			json.RawMessage(`{"conversations":[{"from":"human","value":"How do I reset my password?"},{"from":"gpt","value":"Open Settings → Account → Reset password and follow the link we email you."}]}`),
			json.RawMessage(`{"conversations":[{"from":"human","value":"Can I change my plan mid-month?"},{"from":"gpt","value":"Yes. The difference is prorated on your next invoice."}]}`),
		},
	}
}

// supportReport is ready but long: most examples are over the 4,096-token
// limit, so the warnings list is full and the histogram has a tail.
func supportReport() dataset.Report {
	warns := make([]dataset.Issue, 0, dataset.MaxIssues)
	for line := 3; len(warns) < dataset.MaxIssues; line++ {
		if line%97 == 0 {
			warns = append(warns, dataset.Issue{Line: line, Code: dataset.Duplicate, Message: fmt.Sprintf("same content as line %d", line-90)})
			continue
		}
		warns = append(warns, dataset.Issue{Line: line, Code: dataset.TooManyTokens,
			Message: fmt.Sprintf("example has %d tokens, over the limit of 4096", 4100+line*37)})
	}
	return dataset.Report{
		File: "support-2024-q4.jsonl", Shape: dataset.ShapeChat, Lines: 1_002, BlankLines: 2, Valid: 1_000, TrainingReady: true,
		Errors: []dataset.Issue{}, ErrorCounts: map[dataset.Code]int{},
		Warnings: warns, WarningCounts: map[dataset.Code]int{dataset.TooManyTokens: 940, dataset.Duplicate: 3}, Duplicates: 3,
		TotalTokens: 13_268_572, Tokens: dataset.TokenStats{Min: 301, Mean: 13_268.57, P50: 11_904, P95: 27_310, Max: 41_220},
		Messages:       dataset.MessageStats{Min: 3, Mean: 7.8, Max: 24},
		TokenHistogram: buckets(0, 2, 8, 15, 35, 160, 480, 270, 30),
		Samples: []json.RawMessage{
			json.RawMessage(`{"messages":[{"role":"system","content":"You are Brightrun's support assistant. Be brief and kind."},{"role":"user","content":"My export has been stuck at 99% for an hour."},{"role":"assistant","content":"Sorry about that! Large exports finish in the background; you'll get an email with the link within 15 minutes. If not, reply here and I'll restart it."}]}`),
			json.RawMessage(`{"messages":[{"role":"user","content":"Do you support SSO?"},{"role":"assistant","content":"Yes, SAML and OIDC on the Business plan."}]}`),
		},
	}
}
