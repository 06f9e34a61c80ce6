package common

import (
	"testing"
	"time"
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

func TestNumbers(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Thousands(0), "0"},
		{Thousands(999), "999"},
		{Thousands(1000), "1,000"},
		{Thousands(13268572), "13,268,572"},
		{Thousands(-1234567), "-1,234,567"},
		{Money(25.5), "$25.50"},
		{Money(0.005), "$0.01"},
		{Money(1234.5), "$1,234.50"},
		{Money(-3), "-$3.00"},
		{Duration(3.57), "3.57 h (3h 34m)"},
		{Duration(0.5), "0.50 h (0h 30m)"},
		{Float(5e-5), "5e-05"},
		{Float(0.05), "0.05"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
