package engine

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"brightrun/store"
)

// Modes of running.
const (
	ModeLocal  = "local"  // zero-config: private postgres + versitygw in the data dir
	ModeShared = "shared" // DATABASE_URL + the standard AWS variables
)

// Config is everything needed to open the engine, read from flags and the
// environment by LoadConfig.
type Config struct {
	Mode        string
	DataDir     string
	DatabaseURL string
	S3          store.S3Config
	// Sweep says how stale uploads and orphaned objects are cleaned up.
	Sweep SweepConfig
}

// LoadConfig reads the configuration. dataDir is the --data-dir flag (may be
// empty); getenv is os.Getenv outside tests.
func LoadConfig(dataDir string, getenv func(string) string) (Config, error) {
	c := Config{Mode: ModeLocal}
	var err error
	if c.DataDir, err = resolveDataDir(dataDir, getenv); err != nil {
		return Config{}, err
	}
	c.S3.BucketPrefix = getenv("BRIGHTRUN_BUCKET_PREFIX")
	if c.Sweep, err = loadSweepConfig(getenv); err != nil {
		return Config{}, err
	}
	if url := getenv("DATABASE_URL"); url != "" {
		c.Mode = ModeShared
		c.DatabaseURL = url
		c.S3.Endpoint = firstNonEmpty(getenv("AWS_ENDPOINT_URL_S3"), getenv("AWS_ENDPOINT_URL"))
		c.S3.Region = firstNonEmpty(getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION"))
		c.S3.AccessKey = getenv("AWS_ACCESS_KEY_ID")
		c.S3.SecretKey = getenv("AWS_SECRET_ACCESS_KEY")
		if c.S3.AccessKey != "" && c.S3.SecretKey == "" {
			return Config{}, errors.New("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
		}
		psName := "BRIGHTRUN_S3_PATH_STYLE"
		if getenv(psName) == "" {
			psName = "AWS_S3_USE_PATH_STYLE"
		}
		if ps := getenv(psName); ps != "" {
			v, perr := strconv.ParseBool(ps)
			if perr != nil {
				return Config{}, fmt.Errorf("%s=%q: want true or false (or 1 or 0)", psName, ps)
			}
			c.S3.PathStyle = v
		} else {
			// S3-compatible servers other than AWS nearly always want path style.
			c.S3.PathStyle = c.S3.Endpoint != "" && !strings.Contains(c.S3.Endpoint, "amazonaws.com")
		}
	}
	return c, nil
}

func resolveDataDir(flag string, getenv func(string) string) (string, error) {
	dir := flag
	if dir == "" {
		dir = getenv("BRIGHTRUN_DATA_DIR")
	}
	if dir == "" {
		if x := getenv("XDG_DATA_HOME"); x != "" {
			dir = filepath.Join(x, "brightrun")
		} else if home := getenv("HOME"); home != "" {
			dir = filepath.Join(home, ".local", "share", "brightrun")
		} else if h, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(h, ".local", "share", "brightrun")
		} else {
			return "", errors.New("no data dir: set --data-dir, BRIGHTRUN_DATA_DIR or HOME")
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("data dir %q: %w", dir, err)
	}
	return abs, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
