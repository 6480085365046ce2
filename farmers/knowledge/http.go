package knowledge

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/datasets"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

func (s *Service) handleGet(c *fiber.Ctx) error {
	var e Entry
	err := s.entries.FindOne(c.UserContext(), bson.D{{Key: "_id", Value: c.Params("id")}}).Decode(&e)
	if store.IsNotFound(err) {
		return httpx.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("get knowledge entry: %w", err)
	}
	return c.JSON(e.view())
}

// createReq is the body of POST /knowledge: an answer recorded by 12316
// staff. Time defaults to now.
type createReq struct {
	ID       string     `json:"id" validate:"max=64"`
	Question string     `json:"question" validate:"required"`
	Answer   string     `json:"answer" validate:"required"`
	Category string     `json:"category"`
	Crop     string     `json:"crop"`
	Region   string     `json:"region"` // code or name, checked by parseRow
	Expert   string     `json:"expert"`
	Time     *time.Time `json:"time"`
}

// handleCreate stores an entry through the dataset's own Parse, so that
// an entry made here and one imported obey the same rules and key.
func (s *Service) handleCreate(c *fiber.Ctx) error {
	var req createReq
	if err := httpx.Decode(c, &req); err != nil {
		return err
	}
	t := time.Now()
	if req.Time != nil {
		t = *req.Time
	}
	rec, err := parseRow(datasets.Row{"id": req.ID, "question": req.Question, "answer": req.Answer,
		"category": req.Category, "crop": req.Crop, "region": req.Region, "expert": req.Expert,
		"time": t.Format(time.RFC3339)})
	if err != nil {
		return datasets.InvalidRow(err)
	}
	e, err := s.insert(c.UserContext(), rec)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e.view())
}

func (s *Service) insert(ctx context.Context, rec datasets.Record) (*Entry, error) {
	doc := append(bson.D{{Key: "_id", Value: bson.NewObjectID().Hex()}}, rec.Fields...)
	if _, err := s.entries.InsertOne(ctx, doc); err != nil {
		if store.IsDuplicate(err) {
			return nil, httpx.Errorf(fiber.StatusConflict, "duplicate", "an entry with this id (or this question at this time) exists")
		}
		return nil, fmt.Errorf("insert knowledge entry: %w", err)
	}
	s.cat.Touch(ctx, Dataset.Name)
	raw, err := bson.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode knowledge entry: %w", err)
	}
	var e Entry
	if err := bson.Unmarshal(raw, &e); err != nil {
		return nil, fmt.Errorf("decode knowledge entry: %w", err)
	}
	return &e, nil
}
