package access_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestKeyLifecycle: apply → approve → create a key → whoami → rotate (old
// key refused, new one works) → revoke (refused).
func TestKeyLifecycle(t *testing.T) {
	ts, admin := start(t)
	owner := ts.Register("buyer")
	org := newOrg(t, ts, admin, owner, grant([]string{"prices:read", "registry:read"}, 1000, 100))

	k1 := createKey(t, ts, owner, org)
	if !strings.HasPrefix(k1.Secret, "ak_") || len(k1.Secret) != 67 || !strings.HasPrefix(k1.Secret, k1.Key.Prefix) || len(k1.Key.Prefix) != 11 {
		t.Fatalf("new key: %+v", k1)
	}
	c := whoami(t, ts, k1.Secret)
	if c.OrgID != org || c.KeyID != k1.Key.ID || c.Audience != "buyer" || strings.Join(c.Scopes, ",") != "prices:read,registry:read" {
		t.Fatalf("whoami: %+v", c)
	}

	r := ts.Do("POST", v1+"/orgs/"+org+"/keys/"+k1.Key.ID+"/rotate", owner.Token, nil)
	if r.Status != 201 {
		t.Fatalf("rotate: %d %s", r.Status, r.Body)
	}
	var k2 newKey
	r.Decode(t, &k2)
	if k2.Secret == k1.Secret || k2.Key.ID == k1.Key.ID || k2.Key.Name != k1.Key.Name {
		t.Fatalf("rotated key: %s", r.Body)
	}
	wantErr(t, withKey(ts, "/developer/whoami", k1.Secret), 401, "key_revoked")
	if c := whoami(t, ts, k2.Secret); c.KeyID != k2.Key.ID {
		t.Fatalf("whoami with the new key: %+v", c)
	}
	wantErr(t, ts.Do("POST", v1+"/orgs/"+org+"/keys/"+k1.Key.ID+"/rotate", owner.Token, nil), 409, "key_revoked")

	if r := ts.Do("DELETE", v1+"/orgs/"+org+"/keys/"+k2.Key.ID, owner.Token, nil); r.Status != 204 {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	wantErr(t, withKey(ts, "/developer/whoami", k2.Secret), 401, "key_revoked")
	if r := ts.Do("DELETE", v1+"/orgs/"+org+"/keys/"+k2.Key.ID, admin.Token, nil); r.Status != 204 {
		t.Fatalf("revoking again (administrator): %d %s", r.Status, r.Body)
	}

	var list struct {
		Items []struct {
			ID         string
			RevokedAt  *time.Time
			ReplacedBy string
		}
	}
	ts.Do("GET", v1+"/orgs/"+org+"/keys", owner.Token, nil).Decode(t, &list)
	if len(list.Items) != 2 || list.Items[0].ID != k2.Key.ID || list.Items[1].ReplacedBy != k2.Key.ID ||
		list.Items[0].RevokedAt == nil || list.Items[1].RevokedAt == nil {
		t.Fatalf("keys after rotation and revocation: %+v", list)
	}
}

// TestRotateWithGrace: the old key keeps working for the grace, then stops;
// revoking it during the grace stops it at once.
func TestRotateWithGrace(t *testing.T) {
	ts, admin := start(t)
	owner := ts.Register("buyer")
	org := newOrg(t, ts, admin, owner, grant(nil, 1000, 100))
	rotate := func(k newKey, grace int) newKey {
		r := ts.Do("POST", v1+"/orgs/"+org+"/keys/"+k.Key.ID+"/rotate", owner.Token, map[string]any{"graceSeconds": grace})
		if r.Status != 201 {
			t.Fatalf("rotate: %d %s", r.Status, r.Body)
		}
		var n newKey
		r.Decode(t, &n)
		return n
	}

	k1 := createKey(t, ts, owner, org)
	k2 := rotate(k1, 1)
	whoami(t, ts, k1.Secret) // within the grace
	whoami(t, ts, k2.Secret)
	time.Sleep(1100 * time.Millisecond)
	wantErr(t, withKey(ts, "/developer/whoami", k1.Secret), 401, "key_revoked")

	k3 := rotate(k2, 3600)
	whoami(t, ts, k2.Secret)
	if r := ts.Do("DELETE", v1+"/orgs/"+org+"/keys/"+k2.Key.ID, owner.Token, nil); r.Status != 204 {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	wantErr(t, withKey(ts, "/developer/whoami", k2.Secret), 401, "key_revoked")
	whoami(t, ts, k3.Secret)
}

// TestKeysStoredHashed: the database holds a key's SHA-256, never the key.
func TestKeysStoredHashed(t *testing.T) {
	ts, admin := start(t)
	owner := ts.Register("buyer")
	org := newOrg(t, ts, admin, owner, grant(nil, 1000, 100))
	k := createKey(t, ts, owner, org)
	whoami(t, ts, k.Secret) // and a metered request

	ctx := context.Background()
	sum := sha256.Sum256([]byte(k.Secret))
	for _, coll := range []string{"access_keys", "access_orgs", "access_usage", "access_applications"} {
		cur, err := ts.S.Store.DB.Collection(coll).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []bson.M
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			j, _ := bson.MarshalExtJSON(d, false, false)
			if strings.Contains(string(j), k.Secret) || strings.Contains(string(j), k.Secret[3:]) {
				t.Fatalf("%s stores the key: %s", coll, j)
			}
			if coll == "access_keys" && d["hash"] != hex.EncodeToString(sum[:]) {
				t.Fatalf("stored hash %v is not the key's SHA-256", d["hash"])
			}
		}
	}
}
