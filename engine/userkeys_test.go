package engine_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"brightrun/engine"
)

func newSigner(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func authorized(k gossh.PublicKey, comment string) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k))) + " " + comment
}

func TestParseAuthorizedKeys(t *testing.T) {
	a, b := newSigner(t), newSigner(t)
	file := "# laptop and desktop\n\n" + authorized(a.PublicKey(), "alice@laptop") + "\n" +
		`restrict,command="nope" ` + authorized(b.PublicKey(), "alice@desktop") + "\n" +
		authorized(a.PublicKey(), "same key again") + "\n"
	keys, err := engine.ParseAuthorizedKeys("keys.pub", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 {
		t.Fatalf("%d keys, want 2 (a repeated key counts once): %+v", len(keys), keys)
	}
	if keys[0].Fingerprint != gossh.FingerprintSHA256(a.PublicKey()) || keys[0].Comment != "alice@laptop" ||
		keys[0].PublicKey != strings.TrimSpace(string(gossh.MarshalAuthorizedKey(a.PublicKey()))) {
		t.Errorf("first key %+v", keys[0])
	}
	if keys[1].Comment != "alice@desktop" || !strings.HasPrefix(keys[1].Fingerprint, "SHA256:") {
		t.Errorf("second key (with options) %+v", keys[1])
	}

	// A certificate is refused; so are a private key, garbage and nothing.
	cert := &gossh.Certificate{Key: a.PublicKey(), CertType: gossh.UserCert, ValidPrincipals: []string{"alice"}, ValidBefore: gossh.CertTimeInfinity}
	if err := cert.SignCert(rand.Reader, b); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ data, want string }{
		{"\n" + authorized(cert, "cert"), "f.pub line 2: ssh-ed25519-cert-v01@openssh.com is a certificate"},
		{"-----BEGIN OPENSSH PRIVATE KEY-----\n", "f.pub line 1: this is a private key"},
		{authorized(a.PublicKey(), "ok") + "\nssh-rsa AAAA%%%\n", "f.pub line 2: not an SSH public key"},
		{"# only a comment\n", "f.pub holds no SSH public key"},
		{"", "f.pub holds no SSH public key"},
	} {
		if _, err := engine.ParseAuthorizedKeys("f.pub", []byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.data, err, tc.want)
		}
	}
}

func TestNormalizeFingerprint(t *testing.T) {
	for in, want := range map[string]string{
		"SHA256:abc/DEF+1":  "SHA256:abc/DEF+1",
		"abc/DEF+1":         "SHA256:abc/DEF+1",
		" SHA256:abc ":      "SHA256:abc",
		"":                  "",
		"MD5:16:27:ac:a5":   "",
		"16:27:ac:a5:76:28": "",
		"SHA256:":           "",
	} {
		got, err := engine.NormalizeFingerprint(in)
		if (want == "") != (err != nil) || got != want {
			t.Errorf("NormalizeFingerprint(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
