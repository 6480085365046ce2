package market

import (
	"errors"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// split gives each caller of a combined insert the outcome of its own
// documents, as if it had inserted them alone.
func TestCombinerSplit(t *testing.T) {
	reqs := func() []*insertReq {
		return []*insertReq{{docs: make([]any, 2)}, {docs: make([]any, 2)}, {docs: make([]any, 2)}}
	}
	dup := func(idx ...int) error {
		var wes []mongo.BulkWriteError
		for _, i := range idx {
			wes = append(wes, mongo.BulkWriteError{WriteError: mongo.WriteError{Index: i, Code: 11000}})
		}
		return mongo.BulkWriteException{WriteErrors: wes}
	}
	indexOf := func(err error) []int {
		var bwe mongo.BulkWriteException
		if !errors.As(err, &bwe) {
			return nil
		}
		var out []int
		for _, we := range bwe.WriteErrors {
			out = append(out, we.Index)
		}
		return out
	}

	t.Run("ordered: the failing caller gets its own index, later callers were not tried", func(t *testing.T) {
		b := reqs()
		(&combiner{ordered: true}).split(b, dup(3))
		if b[0].err != nil {
			t.Errorf("first caller: %v, want stored", b[0].err)
		}
		if got := indexOf(b[1].err); len(got) != 1 || got[0] != 1 {
			t.Errorf("second caller: %v, want its document 1 failed", b[1].err)
		}
		if !errors.Is(b[2].err, errNotTried) {
			t.Errorf("third caller: %v, want errNotTried", b[2].err)
		}
	})
	t.Run("unordered: each caller gets only its own failures", func(t *testing.T) {
		b := reqs()
		(&combiner{ordered: false}).split(b, dup(1, 4))
		if got := indexOf(b[0].err); len(got) != 1 || got[0] != 1 {
			t.Errorf("first caller: %v", b[0].err)
		}
		if b[1].err != nil {
			t.Errorf("second caller: %v, want stored", b[1].err)
		}
		if got := indexOf(b[2].err); len(got) != 1 || got[0] != 0 {
			t.Errorf("third caller: %v", b[2].err)
		}
	})
	t.Run("an unknown failure reaches everyone", func(t *testing.T) {
		b := reqs()
		boom := errors.New("connection reset")
		(&combiner{ordered: true}).split(b, boom)
		for i, q := range b {
			if !errors.Is(q.err, boom) {
				t.Errorf("caller %d: %v", i, q.err)
			}
		}
	})
}
