package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/store"
)

// A person's cooperative is a name, as 12316's files write it. When an
// organisation of that name is registered in the person's county, or else
// elsewhere in their city (co-ops take members from neighbouring
// counties), the person's view carries its id as cooperativeId. It is
// resolved when read, not stored, so that it follows organisations being
// added or renamed, and it costs one query per page, never one per row.

// orgRef is what resolving needs of an organisation.
type orgRef struct {
	ID     string `bson:"_id"`
	Name   string `bson:"name"`
	Region string `bson:"region"`
}

// pickOrg chooses among same-name organisations (in _id order) the one in
// region, else the first in region's city; "" when none is near.
func pickOrg(refs []orgRef, region string) string {
	if i := slices.IndexFunc(refs, func(r orgRef) bool { return r.Region == region }); i >= 0 {
		return refs[i].ID
	}
	if i := slices.IndexFunc(refs, func(r orgRef) bool { return sameCity(r.Region, region) }); i >= 0 {
		return refs[i].ID
	}
	return ""
}

// sameCity compares county codes by their city (GB/T 2260: the first four digits).
func sameCity(a, b string) bool { return len(a) >= 4 && len(b) >= 4 && a[:4] == b[:4] }

// coopLinker resolves the cooperativeId of a list's people in batches.
// A page's rows are all viewed before the page is encoded, so the views
// wait (pending) and the first one encoded looks up every name the page
// holds in one query. A JSON download encodes each row as soon as it is
// viewed, so it looks up all its names first (prefetch) instead. A nil
// linker links nothing (CSV downloads: the cells carry the name only).
type coopLinker struct {
	s       *Service
	ctx     context.Context
	orgs    map[string][]orgRef // by name, for every name looked up (found or not)
	pending []*PersonView
}

func (s *Service) newCoopLinker(ctx context.Context) *coopLinker {
	return &coopLinker{s: s, ctx: ctx, orgs: map[string][]orgRef{}}
}

// coopLinkerFor is the linker a list request needs, by its format.
func (s *Service) coopLinkerFor(c *fiber.Ctx, f bson.D) (*coopLinker, error) {
	switch c.Query("format") {
	case "":
		return s.newCoopLinker(c.UserContext()), nil
	case "json":
		l := s.newCoopLinker(c.UserContext())
		return l, l.prefetch(f)
	}
	return nil, nil
}

// linkCoops sets the cooperativeId of a few views, with one query.
func (s *Service) linkCoops(ctx context.Context, pvs ...*PersonView) error {
	l := s.newCoopLinker(ctx)
	l.pending = pvs
	return l.flush()
}

// item is pv as a list item: linked now if its name was looked up, else
// once the page is encoded.
func (l *coopLinker) item(pv PersonView) any {
	if l == nil || pv.Cooperative == "" {
		return pv
	}
	if refs, ok := l.orgs[pv.Cooperative]; ok {
		pv.CooperativeID = pickOrg(refs, pv.Region)
		return pv
	}
	l.pending = append(l.pending, &pv)
	return linkedView{&pv, l}
}

// linkedView is a pending view: encoding it links every pending view first.
type linkedView struct {
	pv *PersonView
	l  *coopLinker
}

func (v linkedView) MarshalJSON() ([]byte, error) {
	if err := v.l.flush(); err != nil {
		return nil, err
	}
	return json.Marshal(v.pv)
}

// flush looks up the pending views' names and links them.
func (l *coopLinker) flush() error {
	var names []string
	for _, pv := range l.pending {
		if _, ok := l.orgs[pv.Cooperative]; !ok && pv.Cooperative != "" && !slices.Contains(names, pv.Cooperative) {
			names = append(names, pv.Cooperative)
		}
	}
	if err := l.lookup(names); err != nil {
		return err
	}
	for _, pv := range l.pending {
		pv.CooperativeID = pickOrg(l.orgs[pv.Cooperative], pv.Region)
	}
	l.pending = nil
	return nil
}

// prefetch looks up every cooperative name among the people matching f.
func (l *coopLinker) prefetch(f bson.D) error {
	var names []string
	if err := l.s.people.Distinct(l.ctx, "cooperative", f).Decode(&names); err != nil {
		return fmt.Errorf("registry cooperatives: %w", err)
	}
	return l.lookup(slices.DeleteFunc(names, func(n string) bool { return n == "" }))
}

// lookup reads the organisations named names, in _id order.
func (l *coopLinker) lookup(names []string) error {
	if len(names) == 0 {
		return nil
	}
	f := bson.D{{Key: "name", Value: bson.D{{Key: "$in", Value: names}}}}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).
		SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "name", Value: 1}, {Key: "region", Value: 1}})
	refs, err := store.FindAll[orgRef](l.ctx, l.s.orgs, "cooperatives by name", f, opts)
	if err != nil {
		return err
	}
	for _, n := range names {
		l.orgs[n] = nil
	}
	for _, r := range refs {
		l.orgs[r.Name] = append(l.orgs[r.Name], r)
	}
	return nil
}
