package registry

import (
	"encoding/json"
	"math"
	"testing"
)

// A crop area of -0, which JSON allows and the validator's gte=0 lets
// through, is stored as +0: a download writes no area for it, and the
// import reads that back as +0 (see parseArea).
func TestNegativeZeroAreaStoredAsZero(t *testing.T) {
	var in personInput
	if err := json.Unmarshal([]byte(`{"crops":[{"crop":"玉米","areaMu":-0},{"crop":"大豆","areaMu":12.5}]}`), &in); err != nil {
		t.Fatal(err)
	}
	if !math.Signbit(in.Crops[0].AreaMu) {
		t.Fatal("the JSON decoder no longer gives -0: this test checks nothing")
	}
	_ = in.check() // other fields are missing; only the crops matter here
	if math.Signbit(in.Crops[0].AreaMu) || in.Crops[1].AreaMu != 12.5 {
		t.Fatalf("areas after check: %v, %v", in.Crops[0].AreaMu, in.Crops[1].AreaMu)
	}
}
