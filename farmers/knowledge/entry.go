package knowledge

import (
	"time"

	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Entry is one answered 12316 hotline question (咨询), as stored.
type Entry struct {
	ID       string    `bson:"_id"`
	Key      string    `bson:"key"` // 12316's ticket number, or a hash of question and time (see dataset.go)
	Question string    `bson:"question"`
	Answer   string    `bson:"answer"`
	Category string    `bson:"category,omitempty"`
	Crop     string    `bson:"crop,omitempty"`
	Region   string    `bson:"region,omitempty"`
	Expert   string    `bson:"expert,omitempty"`
	Time     time.Time `bson:"time"`
	// Tokens are the search terms of question, answer, crop and category
	// (tokens.go); a multikey index serves $all on MongoDB.
	Tokens []string `bson:"tokens"`
}

// View is an entry as the API shows it.
type View struct {
	ID       string    `json:"id"`
	Key      string    `json:"key"`
	Question string    `json:"question"`
	Answer   string    `json:"answer"`
	Category string    `json:"category"`
	Crop     string    `json:"crop"`
	Region   string    `json:"region"`
	Expert   string    `json:"expert"`
	Time     time.Time `json:"time"`
}

func (e *Entry) view() View {
	return View{ID: e.ID, Key: e.Key, Question: e.Question, Answer: e.Answer, Category: e.Category,
		Crop: e.Crop, Region: e.Region, Expert: e.Expert, Time: tz.In(e.Time)}
}
