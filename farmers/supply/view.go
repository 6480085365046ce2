package supply

import (
	"time"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// View is a post as the API shows it.
type View struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	Commodity   string    `json:"commodity"`
	Variety     string    `json:"variety"`
	Quantity    Quantity  `json:"quantity"`
	Price       *int64    `json:"price"` // fen per unit; null: 面议
	Region      string    `json:"region"`
	ValidUntil  string    `json:"validUntil"`
	Contact     Contact   `json:"contact"`
	Description string    `json:"description"`
	Status      string    `json:"status"` // open, closed or expired
	Author      *Author   `json:"author"` // null for posts imported from 12316
	CreatedAt   time.Time `json:"createdAt"`
}

// Who sees a contact's phone in full. The phone is personal information
// that its owner published for the platform's buyers and sellers: a
// signed-in platform user is an identified person bound by the platform's
// terms and sees it whole. An organisation's API key would let it harvest
// numbers in bulk for purposes the owner never agreed to, so keys see it
// masked (138****5678) except on the organisation's own posts.
func phoneVisible(cl *access.Caller, p *Post) bool {
	if cl == nil {
		return false
	}
	if cl.User != nil {
		return true
	}
	return p.Author != nil && p.Author.Type == authorOrg && p.Author.ID == cl.OrgID
}

func (p *Post) view(cl *access.Caller, today string) View {
	v := View{ID: p.ID, Kind: p.Kind, Title: p.Title, Commodity: p.Commodity, Variety: p.Variety,
		Quantity: p.Quantity, Price: p.Price, Region: p.Region, ValidUntil: p.ValidUntil, Contact: p.Contact,
		Description: p.Description, Status: p.statusOn(today), Author: p.Author, CreatedAt: tz.In(p.CreatedAt)}
	if !phoneVisible(cl, p) {
		v.Contact.Phone = maskPhone(p.Contact.Phone)
	}
	return v
}

// Author types.
const (
	authorUser = "user"
	authorOrg  = "org"
)

// authorOf is the caller as a post's author.
func authorOf(cl *access.Caller) *Author {
	if cl.User != nil {
		return &Author{Type: authorUser, ID: cl.User.ID}
	}
	return &Author{Type: authorOrg, ID: cl.OrgID}
}

// mayEdit: a post's author, or platform staff.
func mayEdit(cl *access.Caller, p *Post) bool {
	if cl.User != nil && (cl.User.HasRole(farmers.RoleAdmin) || cl.User.HasRole(farmers.RoleOrganizer)) {
		return true
	}
	me := authorOf(cl)
	return p.Author != nil && *p.Author == *me
}
