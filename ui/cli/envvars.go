package cli

import (
	"net"
	"strconv"
	"time"
)

// Settings read from the environment are held to the bounds of the flags
// they stand for: a value that does not parse, or is out of range, is a
// usage error (exit 2) naming the variable, its value and what is allowed,
// never a quiet fallback to the default. An empty value counts as unset.

// intEnv reads a whole number from lo to hi; what says what it counts.
func intEnv(env Env, name string, def, lo, hi int, what string) (int, error) {
	v := env.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return def, usagef("%s=%q: want a whole number from %d to %d (%s)", name, v, lo, hi, what)
	}
	return n, nil
}

// durationEnv reads a duration that is not negative; zero says what 0
// means, or is "" where 0 is refused too.
func durationEnv(env Env, name string, def time.Duration, zero string) (time.Duration, error) {
	v := env.Getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	switch {
	case zero == "" && (err != nil || d <= 0):
		return def, usagef("%s=%q: want a positive duration such as 90s", name, v)
	case err != nil || d < 0:
		return def, usagef("%s=%q: want a duration such as 30m, or 0 for %s", name, v, zero)
	}
	return d, nil
}

// boolEnv reads a switch: 1 or 0 (or true or false, as strconv spells them).
func boolEnv(env Env, name string, def bool) (bool, error) {
	v := env.Getenv(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return def, usagef("%s=%q: want 1 or 0 (or true or false)", name, v)
	}
	return b, nil
}

// addrEnv reads a host:port whose port is a number from minPort to 65535
// (the host may be empty: every interface); example shows one.
func addrEnv(env Env, name, def string, minPort int, example string) (string, error) {
	v := env.Getenv(name)
	if v == "" {
		return def, nil
	}
	if !validAddr(v, minPort) {
		return def, usagef("%s=%q: want host:port with a port from %d to 65535, e.g. %s", name, v, minPort, example)
	}
	return v, nil
}

func validAddr(v string, minPort int) bool {
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= minPort && n <= 65535
}
