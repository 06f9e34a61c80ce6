package sshserve

import (
	"testing"
	"time"

	"charm.land/ssh"
	"github.com/google/uuid"
	gossh "golang.org/x/crypto/ssh"

	"brightrun/ui/sshserve/sshtest"
)

// fakeSession is the part of a session sessionUser reads.
type fakeSession struct {
	ssh.Session
	pk    ssh.PublicKey
	perms ssh.Permissions
}

func (f fakeSession) PublicKey() ssh.PublicKey     { return f.pk }
func (f fakeSession) Permissions() ssh.Permissions { return f.perms }

// The user comes from the permissions of the key that authenticated, and
// only when they were written for that very key: permissions left by a key
// the client merely probed (CVE-2024-45337's misuse) name nobody.
func TestSessionUserIsTheAuthenticatedKeys(t *testing.T) {
	alice, _, err := sshtest.NewKey("alice")
	if err != nil {
		t.Fatal(err)
	}
	bob, _, err := sshtest.NewKey("bob")
	if err != nil {
		t.Fatal(err)
	}
	id := uuid.New()
	perms := func(fp string) ssh.Permissions {
		return ssh.Permissions{Permissions: &gossh.Permissions{Extensions: map[string]string{
			extUserID: id.String(), extUserName: "alice", extFingerprint: fp,
			extUserCreated: time.Now().Format(time.RFC3339Nano),
		}}}
	}
	aliceFP := gossh.FingerprintSHA256(alice.PublicKey())

	u, fp, ok := sessionUser(fakeSession{pk: alice.PublicKey(), perms: perms(aliceFP)})
	if !ok || u.ID != id || u.Name != "alice" || fp != aliceFP {
		t.Fatalf("alice's own key: %+v %s %v", u, fp, ok)
	}
	if _, _, ok := sessionUser(fakeSession{pk: bob.PublicKey(), perms: perms(aliceFP)}); ok {
		t.Error("bob's key with alice's permissions was taken for alice")
	}
	if _, _, ok := sessionUser(fakeSession{pk: alice.PublicKey(), perms: ssh.Permissions{Permissions: &gossh.Permissions{}}}); ok {
		t.Error("a key without permissions was given a user")
	}
	if _, _, ok := sessionUser(fakeSession{perms: perms(aliceFP)}); ok {
		t.Error("a session without a key was given a user")
	}
}
