package engine

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"brightrun/model"
	"brightrun/store"
)

// Operators' SSH keys: `brightrun user add --key`, `user add-key`,
// `user remove-key`, and the lookup `brightrun serve` does for every
// connection.

// UserKey is a registered SSH public key of an operator.
type UserKey = store.UserKey

// NewUserKey is a parsed public key, ready to register.
type NewUserKey = store.NewUserKey

// UserWithKeys is an operator and its keys (`brightrun user list`).
type UserWithKeys struct {
	model.User
	Keys []UserKey `json:"keys"`
}

// ErrUnknownKey means no operator holds the key a client offered.
var ErrUnknownKey = errors.New("no operator has this key")

// ErrKeyTaken means the key is already another operator's.
var ErrKeyTaken = store.ErrKeyTaken

// maxKeyFile bounds a key file: authorized_keys files are kilobytes, and
// anything much bigger is the wrong file.
const maxKeyFile = 1 << 20

// KeyFingerprint is the SHA256 fingerprint of a key as ssh-keygen -l and
// OpenSSH's logs print it ("SHA256:…").
func KeyFingerprint(k gossh.PublicKey) string { return gossh.FingerprintSHA256(k) }

// ReadAuthorizedKeys reads public keys in authorized_keys form (one a line,
// as in id_ed25519.pub or ~/.ssh/authorized_keys; blank lines and #
// comments skipped) from a file. Errors name the file and the line.
func ReadAuthorizedKeys(path string) ([]NewUserKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("key file %s is a directory; give a public key file such as ~/.ssh/id_ed25519.pub", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("key file %s is over 1 MiB; give a public key file such as ~/.ssh/id_ed25519.pub", path)
	}
	return ParseAuthorizedKeys(path, data)
}

// ParseAuthorizedKeys parses data read from source (a file name, for
// errors). A key given twice counts once. Certificates and private keys are
// refused with a hint, since both are easy to pass by mistake.
func ParseAuthorizedKeys(source string, data []byte) ([]NewUserKey, error) {
	var keys []NewUserKey
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), maxKeyFile)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "-----BEGIN") {
			return nil, fmt.Errorf("%s line %d: this is a private key; give the public one (the .pub file beside it)", source, n)
		}
		pk, comment, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("%s line %d: not an SSH public key (want e.g. \"ssh-ed25519 AAAA… comment\"): %v", source, n, err)
		}
		if _, ok := pk.(*gossh.Certificate); ok {
			return nil, fmt.Errorf("%s line %d: %s is a certificate; give the plain public key", source, n, pk.Type())
		}
		fp := KeyFingerprint(pk)
		if seen[fp] {
			continue
		}
		seen[fp] = true
		keys = append(keys, NewUserKey{
			PublicKey:   strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pk))),
			Fingerprint: fp,
			Comment:     comment,
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s holds no SSH public key", source)
	}
	return keys, nil
}

// NormalizeFingerprint accepts a fingerprint with or without its "SHA256:"
// prefix, as operators copy it from different tools.
func NormalizeFingerprint(fp string) (string, error) {
	fp = strings.TrimSpace(fp)
	if strings.HasPrefix(fp, "MD5:") || strings.Count(fp, ":") > 2 {
		return "", fmt.Errorf("fingerprint %q is an MD5 one; give the SHA256 fingerprint (`ssh-keygen -lf KEY.pub`, or `brightrun user list`)", fp)
	}
	fp = strings.TrimPrefix(fp, "SHA256:")
	if fp == "" || strings.ContainsAny(fp, " \t:") {
		return "", fmt.Errorf("fingerprint %q: want SHA256:… as `brightrun user list` prints it", fp)
	}
	return "SHA256:" + fp, nil
}

// AddUserWithKeys creates an operator with its keys, all or nothing.
func (e *Engine) AddUserWithKeys(ctx context.Context, name string, keys []NewUserKey) (model.User, []UserKey, error) {
	if err := model.CheckLength("user name", name, model.MaxNameLen); err != nil {
		return model.User{}, nil, err
	}
	return e.db.AddUserWithKeys(ctx, name, keys)
}

// AddUserKeys gives an existing operator more keys; those it already has
// come back as existing.
func (e *Engine) AddUserKeys(ctx context.Context, name string, keys []NewUserKey) (u model.User, added, existing []UserKey, err error) {
	if u, err = e.db.UserByName(ctx, name); err != nil {
		return model.User{}, nil, nil, userNotFound(name, err)
	}
	added, existing, err = e.db.AddUserKeys(ctx, u, keys)
	return u, added, existing, err
}

// RemoveUserKey takes a key away from an operator; its sessions cannot
// start again with it.
func (e *Engine) RemoveUserKey(ctx context.Context, name, fingerprint string) (UserKey, error) {
	fp, err := NormalizeFingerprint(fingerprint)
	if err != nil {
		return UserKey{}, err
	}
	u, err := e.db.UserByName(ctx, name)
	if err != nil {
		return UserKey{}, userNotFound(name, err)
	}
	k, err := e.db.DeleteUserKey(ctx, u, fp)
	if errors.Is(err, store.ErrNotFound) {
		return UserKey{}, fmt.Errorf("%s has no key %s (see `brightrun user list`): %w", name, fp, store.ErrNotFound)
	}
	return k, err
}

// UsersWithKeys lists every operator with its keys.
func (e *Engine) UsersWithKeys(ctx context.Context) ([]UserWithKeys, error) {
	users, err := e.db.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]UserWithKeys, len(users))
	for i, u := range users {
		keys, err := e.db.ListUserKeys(ctx, u)
		if err != nil {
			return nil, err
		}
		if keys == nil {
			keys = []UserKey{}
		}
		out[i] = UserWithKeys{User: u, Keys: keys}
	}
	return out, nil
}

// UserByKey finds the operator a key belongs to; ErrUnknownKey when none.
// It is the one read made before a user is known (the SSH handshake).
func (e *Engine) UserByKey(ctx context.Context, fingerprint string) (model.User, error) {
	u, err := e.db.UserByKeyFingerprint(ctx, fingerprint)
	if errors.Is(err, store.ErrNotFound) {
		return model.User{}, fmt.Errorf("key %s: %w", fingerprint, ErrUnknownKey)
	}
	return u, err
}

// KeyUsed records that the session's operator just logged in with the key.
func (s *Session) KeyUsed(ctx context.Context, fingerprint string) error {
	return s.e.db.TouchUserKey(ctx, s.user.ID, fingerprint)
}

func userNotFound(name string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user %q (add one with `brightrun user add %s`): %w", name, name, store.ErrNotFound)
	}
	return err
}
