package common

import (
	"net"
	"net/url"

	"github.com/charmbracelet/x/ansi"
)

// PresignedHost is the host:port a presigned URL points at, and whether it
// is a loopback address, which no other machine can reach.
func PresignedHost(raw string) (host string, loopback bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", false
	}
	name := u.Hostname()
	if name == "localhost" {
		return u.Host, true
	}
	ip := net.ParseIP(name)
	return u.Host, ip != nil && ip.IsLoopback()
}

// LoopbackHint says how an operator on another machine reaches object
// storage at host, the server's own loopback: through a tunnel, or by
// pinning the storage to a reachable address.
func LoopbackHint(host string) string {
	port := "PORT"
	if _, p, err := net.SplitHostPort(host); err == nil {
		port = p
	}
	return "That address is the server's own loopback: curl reaches it only on the server. " +
		"From your machine, tunnel it through the server's sshd first (ssh -L " + port + ":" + host + " you@server), " +
		"or have the server's administrator pin the storage to a reachable address with BRIGHTRUN_S3_ADDR."
}

// HardWrap cuts s into lines of exactly w cells (the last shorter), with
// no indentation, so the pieces of a URL or a command join back into it.
func HardWrap(s string, w int) string {
	if w <= 0 {
		return s
	}
	return ansi.Hardwrap(s, w, true)
}
