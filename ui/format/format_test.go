package format

import (
	"testing"
	"time"

	"brightrun/model"
)

func TestAge(t *testing.T) {
	now := time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		ago  time.Duration
		want string
	}{
		{10 * time.Second, "now"},
		{3 * time.Minute, "3m ago"},
		{59 * time.Minute, "59m ago"},
		{2 * time.Hour, "2h ago"},
		{26 * time.Hour, "1d ago"},
		{16 * 24 * time.Hour, "16d ago"},
		{40 * 24 * time.Hour, "Feb 2"},
		{400 * 24 * time.Hour, "Feb 7 2025"},
	} {
		if got := Age(now, now.Add(-tc.ago)); got != tc.want {
			t.Errorf("Age(-%v) = %q, want %q", tc.ago, got, tc.want)
		}
	}
}

func TestFormats(t *testing.T) {
	at := time.Date(2026, 3, 14, 15, 4, 9, 0, time.FixedZone("CET", 3600))
	for _, tc := range []struct{ name, got, want string }{
		{"path fits", PathEnd("/data/a.jsonl", 13), "/data/a.jsonl"},
		{"path end", PathEnd("/data/sets/support.jsonl", 15), "…/support.jsonl"},
		{"path tiny", PathEnd("/data/a.jsonl", 1), "…"},
		{"thousands 0", Thousands(0), "0"},
		{"thousands 999", Thousands(999), "999"},
		{"thousands 1000", Thousands(1000), "1,000"},
		{"thousands large", Thousands(13268572), "13,268,572"},
		{"thousands negative", Thousands(-1234567), "-1,234,567"},
		{"count one", Count(1, "person", "people"), "1 person"},
		{"count many", Count(2413, "person", "people"), "2,413 people"},
		{"counted zero", Counted(0, "file"), "0 files"},
		{"counted one", Counted(1, "file"), "1 file"},
		{"compact small", Compact(980), "980"},
		{"compact below 10k", Compact(9_821), "9,821"},
		{"compact k", Compact(17_352), "17.4k"},
		{"compact M", Compact(13_268_572), "13.3M"},
		{"compact G", Compact(2_500_000_000), "2.5G"},
		{"float tiny", Float(5e-5), "5e-05"},
		{"float", Float(0.05), "0.05"},
		{"money", Money(25.5), "$25.50"},
		{"money rounds up", Money(0.005), "$0.01"},
		{"money thousands", Money(1234.5), "$1,234.50"},
		{"money negative", Money(-3), "-$3.00"},
		{"rate", Rate(2.49), "$2.49/h"},
		{"bytes 0", Bytes(0), "0 B"},
		{"bytes below KiB", Bytes(1023), "1023 B"},
		{"bytes KiB", Bytes(831_488), "812.0 KiB"},
		{"bytes MiB", Bytes(12_897_484), "12.3 MiB"},
		{"bytes limit", Bytes(model.MaxDatasetBytes), "500.0 MiB"},
		{"decimal bytes B", DecimalBytes(999), "999 B"},
		{"decimal bytes kB", DecimalBytes(1500), "1.5 kB"},
		{"decimal bytes MB", DecimalBytes(12_345_678), "12.3 MB"},
		{"decimal bytes TB", DecimalBytes(2_000_000_000_000_000), "2000.0 TB"},
		{"hours", Hours(3.57), "3.57 h (3h 34m)"},
		{"hours half", Hours(0.5), "0.50 h (0h 30m)"},
		{"span negative", Span(-time.Second), "0s"},
		{"span seconds", Span(45 * time.Second), "45s"},
		{"span minutes", Span(12*time.Minute + 40*time.Second), "12m"},
		{"span hours", Span(time.Hour + 4*time.Minute), "1h 04m"},
		{"left rounds", Left(1400 * time.Millisecond), "1s"},
		{"left minutes", Left(65 * time.Second), "1m 05s"},
		{"left hour", Left(time.Hour), "1h 00m"},
		{"left hours", Left(2*time.Hour + 3*time.Minute), "2h 03m"},
		{"clock", ClockUTC(at), "14:04 UTC"},
		{"stamp", StampUTC(at), "14:04:09"},
		{"minute", MinuteUTC(at), "2026-03-14 14:04"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}
