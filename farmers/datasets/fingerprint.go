package datasets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// A fingerprint document says "record Key of dataset D held exactly these
// fields after an import". Its _id is derived from dataset, key and
// content, so inserting it is also the question "did this row change?":
// a duplicate-key error means no. That question is answered by the unique
// _id index, which matters on the embedded store, where reads scan.
type fingerprint struct {
	ID      string `bson:"_id"`
	Dataset string `bson:"d"`
	KeyHash string `bson:"k"`
}

func keyHash(dataset, key string) string {
	sum := sha256.Sum256([]byte(dataset + "\x00" + key))
	return hex.EncodeToString(sum[:16])
}

func newFingerprint(dataset, key string, fields bson.D) (fingerprint, error) {
	body, err := bson.Marshal(fields)
	if err != nil {
		return fingerprint{}, fmt.Errorf("fingerprint %s %q: %w", dataset, key, err)
	}
	kh := keyHash(dataset, key)
	h := sha256.New()
	h.Write([]byte(kh))
	h.Write(body)
	return fingerprint{ID: dataset + ":" + hex.EncodeToString(h.Sum(nil)[:16]), Dataset: dataset, KeyHash: kh}, nil
}
