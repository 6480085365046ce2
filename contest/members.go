package contest

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// Member is a person on a team.
type Member struct {
	Name  string `bson:"name" json:"name" validate:"required,max=50"`
	Phone string `bson:"phone" json:"phone" validate:"phone"`
	Org   string `bson:"org" json:"org" validate:"max=100"`
	// Role in the team: leader (负责人), member or advisor (指导老师).
	Role string `bson:"role" json:"role" validate:"oneof=leader member advisor"`
	// Region is where the member lives (GB/T 2260); eligibility requires
	// Liaoning at submission.
	Region string `bson:"region" json:"region" validate:"len=6,numeric"`
	// BirthDate (YYYY-MM-DD) is needed when the edition limits ages.
	BirthDate string `bson:"birthDate,omitempty" json:"birthDate,omitempty" validate:"omitempty,datetime=2006-01-02"`
}

// membership is the claim that makes "one person, one team per edition"
// hold under concurrency: its _id is "<edition>/<phone>", so of two teams
// adding the same phone at once exactly one insert succeeds.
type membership struct {
	ID      string    `bson:"_id"`
	Edition string    `bson:"edition"`
	Phone   string    `bson:"phone"`
	Entry   string    `bson:"entry"`
	At      time.Time `bson:"at"`
}

// claimGrace is how long a claim is trusted although its entry does not
// (yet) list the phone: create and edit write the claims first and the
// entry a moment later, and a claim in that window is not stale.
const claimGrace = 2 * time.Minute

func membershipID(edition, phone string) string { return edition + "/" + phone }

// claimMembers claims phones for entry. On a conflict it gives back the
// claims it made and answers 409 member_taken. A claim left behind by a
// crash (its entry missing, withdrawn, or no longer listing the phone) is
// stale and taken over, so a retry completes what the crash interrupted.
func (s *Service) claimMembers(ctx context.Context, edition, entry string, phones []string) error {
	var made []string
	for _, p := range phones {
		err := s.claim(ctx, edition, entry, p)
		if err == nil {
			made = append(made, p)
			continue
		}
		s.giveBack(ctx, edition, entry, made)
		return err
	}
	return nil
}

func (s *Service) claim(ctx context.Context, edition, entry, phone string) error {
	m := membership{ID: membershipID(edition, phone), Edition: edition, Phone: phone, Entry: entry, At: s.now()}
	for attempt := 0; attempt < 2; attempt++ {
		_, err := s.members.InsertOne(ctx, m)
		if err == nil {
			return nil
		}
		if !store.IsDuplicate(err) {
			return fmt.Errorf("claim member %s: %w", phone, err)
		}
		var cur membership
		if err := s.members.FindOne(ctx, bson.D{{Key: "_id", Value: m.ID}}).Decode(&cur); err != nil {
			if store.IsNotFound(err) {
				continue // released meanwhile: try again
			}
			return fmt.Errorf("read member claim %s: %w", phone, err)
		}
		if cur.Entry == entry {
			return nil // ours already (a retried edit)
		}
		stale, err := s.staleClaim(ctx, cur)
		if err != nil {
			return err
		}
		if !stale {
			return httpx.Errorf(409, "member_taken", "%s is already on another team of this edition", phone)
		}
		// The filter names the stale owner, so a live claim made
		// meanwhile by someone else is never deleted.
		if _, err := s.members.DeleteOne(ctx, bson.D{{Key: "_id", Value: m.ID}, {Key: "entry", Value: cur.Entry}}); err != nil {
			return fmt.Errorf("drop stale claim %s: %w", phone, err)
		}
	}
	return httpx.Errorf(409, "member_taken", "%s is already on another team of this edition", phone)
}

// staleClaim reports whether a claim's entry no longer holds the phone:
// the entry was withdrawn, or, once the claim is older than claimGrace,
// the entry is missing or does not list the phone (a crash between the
// claim and the entry's write).
func (s *Service) staleClaim(ctx context.Context, m membership) (bool, error) {
	n, err := s.audit.CountDocuments(ctx, bson.D{{Key: "_id", Value: withdrawKey(m.Entry)}})
	if err != nil || n > 0 {
		return n > 0, err
	}
	if s.now().Sub(m.At) < claimGrace {
		return false, nil
	}
	var e entryDoc
	err = s.entries.FindOne(ctx, bson.D{{Key: "_id", Value: m.Entry}}).Decode(&e)
	if store.IsNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("load entry %s: %w", m.Entry, err)
	}
	return !e.hasMember(m.Phone), nil
}

// releaseMembers drops entry's claims on phones (only its own).
func (s *Service) releaseMembers(ctx context.Context, edition, entry string, phones []string) error {
	if len(phones) == 0 {
		return nil
	}
	ids := make([]string, len(phones))
	for i, p := range phones {
		ids[i] = membershipID(edition, p)
	}
	_, err := s.members.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}, {Key: "entry", Value: entry}})
	if err != nil {
		return fmt.Errorf("release members of %s: %w", entry, err)
	}
	return nil
}

// giveBack releases claims after a failed write. If that fails too, the
// claims go stale after claimGrace and the next claimant takes them over.
func (s *Service) giveBack(ctx context.Context, edition, entry string, phones []string) {
	if err := s.releaseMembers(ctx, edition, entry, phones); err != nil {
		s.log.Warn("give back member claims", "entry", entry, "err", err)
	}
}

func phonesOf(ms []Member) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Phone
	}
	return out
}

// minus lists the phones of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, p := range a {
		if !slices.Contains(b, p) {
			out = append(out, p)
		}
	}
	return out
}
