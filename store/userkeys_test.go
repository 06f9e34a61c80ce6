package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"brightrun/store"
	"brightrun/store/storetest"
)

func key(n string) store.NewUserKey {
	return store.NewUserKey{PublicKey: "ssh-ed25519 AAAA" + n, Fingerprint: "SHA256:" + n, Comment: n + "@laptop"}
}

func TestUserKeysFindTheirUserAndStayApart(t *testing.T) {
	db := storetest.NewDB(t)
	ctx := context.Background()
	alice, added, err := db.AddUserWithKeys(ctx, "alice", []store.NewUserKey{key("a1"), key("a2")})
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 || added[0].Type != "ssh-ed25519" || added[0].Comment != "a1@laptop" || added[0].LastUsedAt != nil {
		t.Fatalf("added %+v", added)
	}
	bob, _, err := db.AddUserWithKeys(ctx, "bob", []store.NewUserKey{key("b1")})
	if err != nil {
		t.Fatal(err)
	}

	for fp, want := range map[string]string{"SHA256:a1": "alice", "SHA256:a2": "alice", "SHA256:b1": "bob"} {
		u, err := db.UserByKeyFingerprint(ctx, fp)
		if err != nil || u.Name != want {
			t.Errorf("UserByKeyFingerprint(%s) = %+v, %v; want %s", fp, u, err, want)
		}
	}
	if _, err := db.UserByKeyFingerprint(ctx, "SHA256:nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown key: %v, want ErrNotFound", err)
	}

	// One key cannot let in two operators, and the error names the holder.
	_, _, err = db.AddUserKeys(ctx, bob, []store.NewUserKey{key("b2"), key("a1")})
	if !errors.Is(err, store.ErrKeyTaken) || !strings.Contains(err.Error(), "user alice") {
		t.Fatalf("adding alice's key to bob: %v", err)
	}
	// All or none: b2, before the taken key, was not added either.
	if keys, _ := db.ListUserKeys(ctx, bob); len(keys) != 1 {
		t.Errorf("bob has %d keys after a refused add, want 1", len(keys))
	}
	// A new user whose key is taken is not created at all.
	if _, _, err := db.AddUserWithKeys(ctx, "carol", []store.NewUserKey{key("b1")}); !errors.Is(err, store.ErrKeyTaken) {
		t.Fatalf("carol with bob's key: %v", err)
	}
	if _, err := db.UserByName(ctx, "carol"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("carol exists after her key was refused: %v", err)
	}

	// Adding a key twice is harmless.
	added, existing, err := db.AddUserKeys(ctx, alice, []store.NewUserKey{key("a2"), key("a3")})
	if err != nil || len(added) != 1 || added[0].Fingerprint != "SHA256:a3" || len(existing) != 1 || existing[0].Fingerprint != "SHA256:a2" {
		t.Fatalf("re-add: added %+v existing %+v err %v", added, existing, err)
	}

	// Alice cannot remove bob's key: it is not hers.
	if _, err := db.DeleteUserKey(ctx, alice, "SHA256:b1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("alice removing bob's key: %v", err)
	}
	if u, err := db.UserByKeyFingerprint(ctx, "SHA256:b1"); err != nil || u.ID != bob.ID {
		t.Fatalf("bob's key after alice's attempt: %+v %v", u, err)
	}
	k, err := db.DeleteUserKey(ctx, alice, "SHA256:a1")
	if err != nil || k.Fingerprint != "SHA256:a1" {
		t.Fatalf("remove: %+v %v", k, err)
	}
	if _, err := db.UserByKeyFingerprint(ctx, "SHA256:a1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a removed key still finds its user: %v", err)
	}

	if err := db.TouchUserKey(ctx, alice.ID, "SHA256:a2"); err != nil {
		t.Fatal(err)
	}
	keys, err := db.ListUserKeys(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	var used int
	for _, k := range keys {
		if k.LastUsedAt != nil {
			used++
		}
	}
	if len(keys) != 2 || used != 1 {
		t.Errorf("alice's keys %+v: want 2, one used", keys)
	}
}

// The lookup function is the one hole in row-level security on purpose:
// it must answer only its question, run with a pinned search path, and be
// callable by the application role and nobody else.
func TestUserForKeyFunctionIsNarrow(t *testing.T) {
	db := storetest.NewDB(t)
	ctx := context.Background()
	if _, _, err := db.AddUserWithKeys(ctx, "alice", []store.NewUserKey{key("a1")}); err != nil {
		t.Fatal(err)
	}
	var definer, publicExec, appExec bool
	var config []string
	err := db.Pool().QueryRow(ctx, `
		SELECT p.prosecdef, coalesce(p.proconfig, '{}'),
		       has_function_privilege('brightrun_app', p.oid, 'EXECUTE'),
		       EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
		               WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
		FROM pg_proc p WHERE p.proname = 'brightrun_user_for_key'`).Scan(&definer, &config, &appExec, &publicExec)
	if err != nil {
		t.Fatal(err)
	}
	if !definer || !appExec || publicExec {
		t.Errorf("security definer %v, app may execute %v, PUBLIC may execute %v; want true, true, false", definer, appExec, publicExec)
	}
	if strings.Join(config, ",") != "search_path=pg_catalog, pg_temp" {
		t.Errorf("function settings %q, want the search path pinned", config)
	}

	// Without a user the table itself shows nothing, while the function
	// answers for one fingerprint with the user's id and name alone.
	err = db.Tx(ctx, func(tx store.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM user_keys`).Scan(&n); err != nil {
			return err
		}
		if n != 0 {
			t.Errorf("a transaction without a user sees %d keys", n)
		}
		rows, err := tx.Query(ctx, `SELECT * FROM brightrun_user_for_key('SHA256:a1')`)
		if err != nil {
			return err
		}
		var cols []string
		for _, fd := range rows.FieldDescriptions() {
			cols = append(cols, fd.Name)
		}
		got := 0
		for rows.Next() {
			got++
		}
		rows.Close()
		if strings.Join(cols, ",") != "user_id,user_name" || got != 1 {
			t.Errorf("function returned %d rows of %v", got, cols)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
