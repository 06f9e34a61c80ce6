package model

import (
	"strings"
	"testing"
	"time"
)

func TestWriteMetrics(t *testing.T) {
	at := time.Date(2026, 12, 7, 1, 2, 3, 0, time.UTC)
	loss, val, lr := 1.5, 1.25, 5e-5
	points := []MetricPoint{{Step: 1, Epoch: 0.5, TrainLoss: &loss, LearningRate: &lr, RecordedAt: at},
		{Step: 2, Epoch: 1, ValLoss: &val, RecordedAt: at}}
	tests := []struct {
		format, want string
	}{
		{MetricsCSV, "step,epoch,train_loss,val_loss,learning_rate,grad_norm,tokens_per_sec,gpu_utilization,created_at\n" +
			"1,0.5,1.5,,5e-05,,,,2026-12-07T01:02:03Z\n2,1,,1.25,,,,,2026-12-07T01:02:03Z\n"},
		{MetricsJSONL, `{"step":1,"epoch":0.5,"train_loss":1.5,"val_loss":null,"learning_rate":0.00005,"grad_norm":null,"tokens_per_sec":null,"gpu_utilization":null,"created_at":"2026-12-07T01:02:03Z"}` + "\n" +
			`{"step":2,"epoch":1,"train_loss":null,"val_loss":1.25,"learning_rate":null,"grad_norm":null,"tokens_per_sec":null,"gpu_utilization":null,"created_at":"2026-12-07T01:02:03Z"}` + "\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		n, err := WriteMetrics(&b, tt.format, points)
		if err != nil || b.String() != tt.want || n != int64(len(tt.want)) {
			t.Errorf("%s: %d bytes, %v:\n%s", tt.format, n, err, b.String())
		}
	}
	if _, err := WriteMetrics(&strings.Builder{}, "xml", points); err == nil || !strings.Contains(err.Error(), "want csv or jsonl") {
		t.Errorf("xml: %v", err)
	}
}
