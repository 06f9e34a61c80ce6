package model

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// The metrics export (`brightrun job metrics`, `e` in the job view): every
// point of a job, one a row.

// Metrics export formats.
const (
	MetricsCSV   = "csv"
	MetricsJSONL = "jsonl"
)

// MetricsColumns are the export's columns, the CSV header.
var MetricsColumns = []string{"step", "epoch", "train_loss", "val_loss", "learning_rate", "grad_norm",
	"tokens_per_sec", "gpu_utilization", "created_at"}

// CheckMetricsFormat accepts csv and jsonl.
func CheckMetricsFormat(f string) error {
	if f != MetricsCSV && f != MetricsJSONL {
		return fmt.Errorf("format %q: want csv or jsonl", f)
	}
	return nil
}

// WriteMetrics writes points in format (csv with a header line, or jsonl)
// and returns the bytes written.
func WriteMetrics(w io.Writer, format string, points []MetricPoint) (int64, error) {
	if err := CheckMetricsFormat(format); err != nil {
		return 0, err
	}
	cw := &countingWriter{w: w}
	bw := bufio.NewWriter(cw)
	var err error
	if format == MetricsCSV {
		err = writeMetricsCSV(bw, points)
	} else {
		err = writeMetricsJSONL(bw, points)
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return cw.n, err
}

// metricsValues are a point's values in MetricsColumns' order: the
// optional metrics nil when absent.
func metricsValues(p MetricPoint) []any {
	out := []any{p.Step, p.Epoch}
	for _, v := range []*float64{p.TrainLoss, p.ValLoss, p.LearningRate, p.GradNorm, p.TokensPerSec, p.GPUUtilization} {
		if v == nil {
			out = append(out, nil)
		} else {
			out = append(out, *v)
		}
	}
	return append(out, p.RecordedAt.UTC().Format(time.RFC3339Nano))
}

func writeMetricsCSV(w io.Writer, points []MetricPoint) error {
	c := csv.NewWriter(w)
	if err := c.Write(MetricsColumns); err != nil {
		return err
	}
	for _, p := range points {
		vals := metricsValues(p)
		row := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case float64:
				row[i] = strconv.FormatFloat(v, 'g', -1, 64)
			case nil:
			default:
				row[i] = fmt.Sprint(v)
			}
		}
		if err := c.Write(row); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}

// writeMetricsJSONL writes a JSON object a point, its keys in
// MetricsColumns' order.
func writeMetricsJSONL(w io.Writer, points []MetricPoint) error {
	for _, p := range points {
		line := []byte{'{'}
		for i, v := range metricsValues(p) {
			b, err := json.Marshal(v)
			if err != nil {
				return err
			}
			if i > 0 {
				line = append(line, ',')
			}
			line = append(strconv.AppendQuote(line, MetricsColumns[i]), ':')
			line = append(line, b...)
		}
		if _, err := w.Write(append(line, '}', '\n')); err != nil {
			return err
		}
	}
	return nil
}

// countingWriter counts the bytes that reach w.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
