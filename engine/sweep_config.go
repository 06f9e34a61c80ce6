package engine

import (
	"fmt"
	"time"
)

// SweepConfig tunes the clean-up of what interrupted work leaves in
// storage. Tests shorten it through the environment.
type SweepConfig struct {
	// UploadTimeout is how long an uploading dataset whose client sends
	// the file waits without a sign of that client (which renews the
	// deadline while it sends) before it is ended in error
	// (BRIGHTRUN_UPLOAD_TIMEOUT).
	UploadTimeout time.Duration
	// SafeAge is how old an unfinished multipart upload, or an object no
	// row refers to, must be before a sweep removes it; anything younger
	// may belong to work whose row is about to commit
	// (BRIGHTRUN_SWEEP_AGE).
	SafeAge time.Duration
	// Interval is how often a worker sweeps storage (BRIGHTRUN_SWEEP_INTERVAL);
	// expired uploads are looked for more often, at least every minute.
	Interval time.Duration
}

// Defaults of SweepConfig.
const (
	DefaultUploadTimeout = 10 * time.Minute
	DefaultSweepAge      = 24 * time.Hour
	DefaultSweepInterval = time.Hour
)

func loadSweepConfig(getenv func(string) string) (SweepConfig, error) {
	c := SweepConfig{UploadTimeout: DefaultUploadTimeout, SafeAge: DefaultSweepAge, Interval: DefaultSweepInterval}
	for _, v := range []struct {
		name string
		dst  *time.Duration
	}{{"BRIGHTRUN_UPLOAD_TIMEOUT", &c.UploadTimeout}, {"BRIGHTRUN_SWEEP_AGE", &c.SafeAge}, {"BRIGHTRUN_SWEEP_INTERVAL", &c.Interval}} {
		s := getenv(v.name)
		if s == "" {
			continue
		}
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("%s=%q: want a positive duration such as 90s or 24h", v.name, s)
		}
		*v.dst = d
	}
	return c, nil
}

// withDefaults fills a zero SweepConfig (an engine assembled by New).
func (c SweepConfig) withDefaults() SweepConfig {
	if c.UploadTimeout <= 0 {
		c.UploadTimeout = DefaultUploadTimeout
	}
	if c.SafeAge <= 0 {
		c.SafeAge = DefaultSweepAge
	}
	if c.Interval <= 0 {
		c.Interval = DefaultSweepInterval
	}
	return c
}

// uploadRenewEvery is how often a sending client renews its dataset's
// deadline: often enough that a slow network never lets it lapse.
func (c SweepConfig) uploadRenewEvery() time.Duration {
	return max(c.withDefaults().UploadTimeout/5, 200*time.Millisecond)
}
