package supply

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/farmers/regions"
)

// Kinds and statuses of a post.
const (
	KindSupply = "supply" // 供应: someone offers produce
	KindDemand = "demand" // 求购: someone wants it

	StatusOpen    = "open"
	StatusClosed  = "closed"  // closed by its author or staff
	StatusExpired = "expired" // shown, never stored: open but past validUntil
)

// Limits of a post.
const (
	maxTitle       = 100
	maxLabel       = 50
	maxDescription = 2000
	maxQuantity    = 1e9
	maxPriceFen    = 100_000_000
	maxValidDays   = 366 // a post runs for at most a year from its creation
	// defaultValidDays applies to imported posts without an end date.
	defaultValidDays = 30
)

// Post is a supply or demand post (供求信息), as stored.
type Post struct {
	ID          string    `bson:"_id"`
	Key         string    `bson:"key"`
	Kind        string    `bson:"kind"`
	Title       string    `bson:"title"`
	Commodity   string    `bson:"commodity"`
	Variety     string    `bson:"variety"`
	Quantity    Quantity  `bson:"quantity"`
	Price       *int64    `bson:"price"` // fen per unit; nil: to be agreed (面议)
	Region      string    `bson:"region"`
	ValidUntil  string    `bson:"validUntil"` // last day it runs, YYYY-MM-DD Shanghai
	Contact     Contact   `bson:"contact"`
	Description string    `bson:"description"`
	Status      string    `bson:"status"`
	CreatedAt   time.Time `bson:"createdAt"`
	// Author is who posted through the API; absent on imported posts. The
	// import does not own it, so re-importing keeps it.
	Author *Author `bson:"author,omitempty"`
}

// Quantity is how much is offered or wanted.
type Quantity struct {
	Value float64 `bson:"value" json:"value"`
	Unit  string  `bson:"unit" json:"unit"`
}

// Contact is whom to call about a post.
type Contact struct {
	Name  string `bson:"name" json:"name"`
	Phone string `bson:"phone" json:"phone"`
}

// Author is a platform user or an organisation (through its API key).
type Author struct {
	Type string `bson:"type" json:"type"` // "user" or "org"
	ID   string `bson:"id" json:"id"`
}

// phoneRE is a mainland mobile or a landline with its area code.
var phoneRE = regexp.MustCompile(`^(1[3-9][0-9]{9}|0[1-9][0-9]{1,2}-?[0-9]{7,8})$`)

// normalise checks a post from any input (a file row, a request) and puts
// region and dates in their stored forms. It returns the offending fields.
func (p *Post) normalise() map[string]string {
	bad := map[string]string{}
	if p.Kind != KindSupply && p.Kind != KindDemand {
		bad["kind"] = "must be one of: supply demand"
	}
	for _, f := range []struct {
		name, v  string
		max      int
		required bool
	}{
		{"title", p.Title, maxTitle, true}, {"commodity", p.Commodity, maxLabel, true},
		{"variety", p.Variety, maxLabel, false}, {"quantity.unit", p.Quantity.Unit, 10, true},
		{"contact.name", p.Contact.Name, maxLabel, true}, {"description", p.Description, maxDescription, false},
	} {
		switch n := utf8.RuneCountInString(f.v); {
		case n == 0 && f.required:
			bad[f.name] = "is required"
		case n > f.max:
			bad[f.name] = fmt.Sprintf("must be at most %d characters", f.max)
		}
	}
	if v := p.Quantity.Value; !(v > 0 && v <= maxQuantity) || math.IsInf(v, 0) {
		bad["quantity.value"] = "must be more than 0 and at most 1000000000"
	}
	if p.Price != nil && (*p.Price < 1 || *p.Price > maxPriceFen) {
		bad["price"] = "must be from 1 fen to 1,000,000 元 per unit, or absent (面议)"
	}
	if !phoneRE.MatchString(p.Contact.Phone) {
		bad["contact.phone"] = "must be a mobile number or a landline with its area code"
	}
	if code, ok := datasets.RegionCell(p.Region); ok && code != regions.Province {
		p.Region = code
	} else {
		bad["region"] = "must be a Liaoning city or county (GB/T 2260 code or name)"
	}
	p.checkValidUntil(bad)
	if p.Status != StatusOpen && p.Status != StatusClosed {
		bad["status"] = "must be open or closed"
	}
	return bad
}

// checkValidUntil requires an end date from the creation day to a year after.
func (p *Post) checkValidUntil(bad map[string]string) {
	d, ok := datasets.ParseDayCell(p.ValidUntil)
	if !ok {
		bad["validUntil"] = "must be a date YYYY-MM-DD"
		return
	}
	p.ValidUntil = d
	created := datasets.DayOf(p.CreatedAt)
	last := datasets.DayOf(p.CreatedAt.AddDate(0, 0, maxValidDays))
	if d < created || d > last {
		bad["validUntil"] = fmt.Sprintf("must be from the day of posting to %d days after", maxValidDays)
	}
}

// fields are the stored fields the import owns (no _id, no author).
func (p *Post) fields() bson.D {
	return bson.D{
		{Key: "key", Value: p.Key}, {Key: "kind", Value: p.Kind}, {Key: "title", Value: p.Title},
		{Key: "commodity", Value: p.Commodity}, {Key: "variety", Value: p.Variety},
		{Key: "quantity", Value: bson.D{{Key: "value", Value: p.Quantity.Value}, {Key: "unit", Value: p.Quantity.Unit}}},
		{Key: "price", Value: p.Price}, {Key: "region", Value: p.Region}, {Key: "validUntil", Value: p.ValidUntil},
		{Key: "contact", Value: bson.D{{Key: "name", Value: p.Contact.Name}, {Key: "phone", Value: p.Contact.Phone}}},
		{Key: "description", Value: p.Description}, {Key: "status", Value: p.Status}, {Key: "createdAt", Value: p.CreatedAt},
	}
}

// derivedKey identifies an imported post without 12316's id: the same
// title and phone posted at the same second is the same post.
func derivedKey(title, phone string, createdAt time.Time) string {
	sum := sha256.Sum256([]byte(title + "\x00" + phone + "\x00" + createdAt.UTC().Format(time.RFC3339)))
	return "h:" + hex.EncodeToString(sum[:12])
}

// statusOn is the status shown on day today (YYYY-MM-DD).
func (p *Post) statusOn(today string) string {
	if p.Status == StatusOpen && p.ValidUntil < today {
		return StatusExpired
	}
	return p.Status
}

// maskPhone hides the middle of a number: 13812345678 → 138****5678.
func maskPhone(phone string) string {
	digits := strings.ReplaceAll(phone, "-", "")
	if len(digits) < 8 {
		return "****"
	}
	return digits[:3] + "****" + digits[len(digits)-4:]
}

func formatQuantity(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
