package registry

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// AccessEntry is one disclosure: an organisation received (part of) one
// person's entry through one request made with one of its keys. The
// person reads these at GET /me/access-log ("who looked at my data").
type AccessEntry struct {
	ID     string `bson:"_id" json:"id"`   // an ObjectID in hex: sorts by time
	Person string `bson:"person" json:"-"` // "" for a leader with no entry of their own
	// Organisation is set when the data shown was an organisation's
	// leader's: the organisation whose entry held it.
	Organisation string    `bson:"organisation,omitempty" json:"organisation,omitempty"`
	OrgID        string    `bson:"orgId" json:"orgId"`
	OrgName      string    `bson:"orgName" json:"orgName"`
	Audience     string    `bson:"audience" json:"audience"`
	KeyID        string    `bson:"keyId" json:"keyId"`
	Disclosed    []string  `bson:"disclosed" json:"disclosed"` // consentable fields sent in full
	Masked       []string  `bson:"masked" json:"masked"`       // consentable fields sent masked
	Route        string    `bson:"route" json:"route"`         // "GET /api/v1/registry/people"
	RequestID    string    `bson:"rid" json:"requestId"`
	At           time.Time `bson:"at" json:"at"`

	leaderPhone string // not stored: finds the leader's entry before the insert
}

// disclosure is what showing one entry revealed: whose data it was (a
// person's, or an organisation's leader's) and which consentable fields
// were masked.
type disclosure struct {
	person      string // the person shown
	org         string // or the organisation shown
	leaderPhone string // its leader's phone, to file the line under them
	masked      []string
}

// subject is the entry shown ("" when nothing personal was).
func (x disclosure) subject() string {
	if x.org != "" {
		return x.org
	}
	return x.person
}

// orgDisclosure is what showing o with masked fields masked disclosed:
// nothing when o holds no personal data.
func orgDisclosure(o *Organisation, masked []string) disclosure {
	if !o.hasPersonalData() {
		return disclosure{}
	}
	return disclosure{org: o.ID, leaderPhone: o.LeaderPhone, masked: masked}
}

// disclosures collects a request's access-log entries. Only requests made
// with an API key are logged: those are the third parties the person
// consents to. Staff keep the registry and platform users see it inside
// the platform; neither is a disclosure to an organisation (see doc.go).
type disclosures struct {
	caller  *access.Caller // nil: nothing to log
	route   string
	rid     string
	at      time.Time
	entries []AccessEntry
}

func newDisclosures(c *fiber.Ctx, caller *access.Caller) *disclosures {
	d := &disclosures{route: c.Method() + " " + c.Path(), rid: httpx.RequestID(c), at: tz.In(time.Now())}
	if caller.ViaKey() {
		d.caller = caller
	}
	return d
}

// entry is the log line for x.
func (d *disclosures) entry(x disclosure) AccessEntry {
	return AccessEntry{ID: bson.NewObjectID().Hex(), Person: x.person, Organisation: x.org, leaderPhone: x.leaderPhone,
		OrgID: d.caller.OrgID, OrgName: d.caller.OrgName, Audience: d.caller.Audience, KeyID: d.caller.KeyID,
		Disclosed: disclosed(x.masked), Masked: x.masked, Route: d.route, RequestID: d.rid, At: d.at}
}

// add records that x was shown (to a key caller: the others are not logged).
func (d *disclosures) add(x disclosure) {
	if d.caller != nil && x.subject() != "" {
		d.entries = append(d.entries, d.entry(x))
	}
}

// writeLog stores the collected entries in one insert and forgets them.
func (s *Service) writeLog(ctx context.Context, d *disclosures) error {
	if len(d.entries) == 0 {
		return nil
	}
	if err := s.fileUnderLeaders(ctx, d.entries); err != nil {
		return err
	}
	docs := make([]any, len(d.entries))
	for i := range d.entries {
		docs[i] = d.entries[i]
	}
	if _, err := s.accessLog.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
		return fmt.Errorf("write registry access log: %w", err)
	}
	d.entries = d.entries[:0]
	return nil
}

// handleMyAccessLog lists who looked at the caller's entry, newest first.
func (s *Service) handleMyAccessLog(c *fiber.Ctx) error {
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	out := httpx.List[AccessEntry]{Items: []AccessEntry{}}
	id, err := s.personIDByPhone(ctx, farmers.CurrentUser(c).Phone)
	if store.IsNotFound(err) {
		return c.JSON(out) // no entry, so nobody looked
	}
	if err != nil {
		return err
	}
	f := bson.D{{Key: "person", Value: id}}
	if cur := c.Query("cursor"); cur != "" {
		f = append(f, bson.E{Key: "_id", Value: bson.D{{Key: "$lt", Value: cur}}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(limit))
	es, err := store.FindAll[AccessEntry](ctx, s.accessLog, "registry access log", f, opts)
	if err != nil {
		return err
	}
	for i := range es {
		es[i].At = tz.In(es[i].At)
		out.Items = append(out.Items, es[i])
	}
	if len(es) == limit {
		out.Next = es[len(es)-1].ID
	}
	return c.JSON(out)
}

// personIDByPhone finds the id of the entry with phone (mongo.ErrNoDocuments if none).
func (s *Service) personIDByPhone(ctx context.Context, phone string) (string, error) {
	var doc struct {
		ID string `bson:"_id"`
	}
	err := s.people.FindOne(ctx, bson.D{{Key: "phone", Value: phone}},
		options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Decode(&doc)
	if err != nil {
		return "", fmt.Errorf("find registry entry by phone: %w", err)
	}
	return doc.ID, nil
}

// signature names a disclosure's masked fields, to compare two of them.
func signature(masked []string) string { return strings.Join(masked, ",") }

// fileUnderLeaders puts each organisation line under its leader's own
// entry (same phone) when they have one, so that they see it at
// /me/access-log like any disclosure of their data; one query for all.
// A leader without an entry gets the line under the organisation alone
// (Person ""), kept for audit; it is not moved if they register later.
func (s *Service) fileUnderLeaders(ctx context.Context, es []AccessEntry) error {
	var phones []string
	for _, e := range es {
		if e.Person == "" && e.leaderPhone != "" {
			phones = append(phones, e.leaderPhone)
		}
	}
	if len(phones) == 0 {
		return nil
	}
	ids, err := s.personIDsByPhone(ctx, phones)
	if err != nil {
		return err
	}
	for i := range es {
		if es[i].Person == "" {
			es[i].Person = ids[es[i].leaderPhone]
		}
	}
	return nil
}

// personIDsByPhone maps each of phones that has an entry to its id.
func (s *Service) personIDsByPhone(ctx context.Context, phones []string) (map[string]string, error) {
	f := bson.D{{Key: "phone", Value: bson.D{{Key: "$in", Value: phones}}}}
	opts := options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "phone", Value: 1}})
	ps, err := store.FindAll[Person](ctx, s.people, "leaders' registry entries", f, opts)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]string, len(ps))
	for _, p := range ps {
		ids[p.Phone] = p.ID
	}
	return ids, nil
}
