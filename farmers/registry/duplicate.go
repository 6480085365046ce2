package registry

import (
	"strings"

	"github.com/liaoning12316/agrimaker/internal/store"
)

// isDuplicate reports a unique-index violation. FerretDB 1.24 reports one
// raised by an update (findAndModify) not as a duplicate-key error but as
// an InternalError carrying SQLite's message (measured: "UNIQUE constraint
// failed: index '…_creditCode_1'"), which store.IsDuplicate does not see;
// without this, editing an entry onto another's phone or credit code
// answered 500 instead of 409.
func isDuplicate(err error) bool {
	return store.IsDuplicate(err) || err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
