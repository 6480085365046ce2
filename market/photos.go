package market

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// Photo limits: phones should send compressed pictures; the web client
// scales them down before upload.
const (
	maxPhotoBytes = 512 << 10
	maxPhotos     = 6
)

// Photos are kept in two collections: the pictures themselves, read only
// by id, and a small index of which auction has which. (The embedded store
// scans a whole collection on every read, so the index must not drag the
// pictures along.) Pictures never change, so each process keeps the ones
// it served recently in memory.
type photoDoc struct {
	ID          string    `bson:"_id"`
	Auction     string    `bson:"auction"`
	ContentType string    `bson:"contentType"`
	Data        []byte    `bson:"data"`
	At          time.Time `bson:"at"`
}

type photoRef struct {
	ID      string    `bson:"_id"`
	Auction string    `bson:"auction"`
	At      time.Time `bson:"at"`
}

func photoIndexes() []mongo.IndexModel {
	return []mongo.IndexModel{{Keys: bson.D{{Key: "auction", Value: 1}}}}
}

// handleAddPhoto: POST /auctions/{id}/photos with a raw JPEG, PNG or WebP
// body (at most 512 KiB), by the owner, at most 6 per auction.
func (s *Service) handleAddPhoto(c *fiber.Ctx) error {
	ctx := c.UserContext()
	r, err := s.runnerFor(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	if r.a.Owner != farmers.CurrentUser(c).ID {
		return httpx.ErrForbidden
	}
	body := c.Body()
	if len(body) > maxPhotoBytes {
		return httpx.Errorf(http.StatusRequestEntityTooLarge, "too_large", "a photo may be at most %d KiB", maxPhotoBytes>>10)
	}
	ct := http.DetectContentType(body)
	if ct != "image/jpeg" && ct != "image/png" && ct != "image/webp" {
		return httpx.Errorf(http.StatusUnsupportedMediaType, "bad_photo", "a photo must be a JPEG, PNG or WebP image")
	}
	if len(r.hub.photoIDs()) >= maxPhotos {
		return httpx.Errorf(http.StatusConflict, "too_many_photos", "an auction may have at most %d photos", maxPhotos)
	}
	p := photoDoc{ID: bson.NewObjectID().Hex(), Auction: r.a.ID, ContentType: ct, Data: body, At: time.Now()}
	if _, err := s.photos.InsertOne(ctx, p); err != nil {
		return fmt.Errorf("insert photo: %w", err)
	}
	// The reference last: a crash in between leaves an unseen picture, not a broken link.
	if _, err := s.photoRefs.InsertOne(ctx, photoRef{ID: p.ID, Auction: p.Auction, At: p.At}); err != nil {
		return fmt.Errorf("insert photo reference: %w", err)
	}
	r.hub.addPhoto(p.ID)
	return c.Status(http.StatusCreated).JSON(fiber.Map{"photo": fiber.Map{"id": p.ID, "url": photoURL(p.ID)}})
}

func (s *Service) handleGetPhoto(c *fiber.Ctx) error {
	p, err := s.photo(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, p.ContentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	return c.Send(p.Data)
}

func (s *Service) photo(ctx context.Context, id string) (*photoDoc, error) {
	if p := s.photoCache.get(id); p != nil {
		return p, nil
	}
	var p photoDoc
	err := s.photos.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p)
	if store.IsNotFound(err) {
		return nil, httpx.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("find photo: %w", err)
	}
	s.photoCache.put(&p)
	return &p, nil
}

// loadPhotos reads an auction's photo references, when its runner loads.
func (r *runner) loadPhotos(ctx context.Context) error {
	refs, err := store.FindAll[photoRef](ctx, r.svc.photoRefs, "photo references", bson.D{{Key: "auction", Value: r.a.ID}})
	if err != nil {
		return err
	}
	for _, ref := range refs {
		r.hub.addPhoto(ref.ID)
	}
	return nil
}

func photoURL(id string) string { return "/api/v1/photos/" + id }

// photoCache keeps recently served pictures, up to a byte budget.
type photoCache struct {
	mu     sync.Mutex
	budget int
	used   int
	m      map[string]*photoDoc
	order  []string // oldest first
}

func newPhotoCache(budget int) *photoCache {
	return &photoCache{budget: budget, m: map[string]*photoDoc{}}
}

func (c *photoCache) get(id string) *photoDoc {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[id]
}

func (c *photoCache) put(p *photoDoc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[p.ID]; ok || len(p.Data) > c.budget {
		return
	}
	for c.used+len(p.Data) > c.budget && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.used -= len(c.m[old].Data)
		delete(c.m, old)
	}
	c.m[p.ID] = p
	c.order = append(c.order, p.ID)
	c.used += len(p.Data)
}
