package market

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

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

type photoDoc struct {
	ID          string    `bson:"_id"`
	Auction     string    `bson:"auction"`
	ContentType string    `bson:"contentType"`
	Data        []byte    `bson:"data"`
	At          time.Time `bson:"at"`
}

func photoIndexes() []mongo.IndexModel {
	return []mongo.IndexModel{{Keys: bson.D{{Key: "auction", Value: 1}}}}
}

// handleAddPhoto: POST /auctions/{id}/photos with a raw JPEG, PNG or WebP
// body (at most 512 KiB), by the owner, at most 6 per auction.
func (s *Service) handleAddPhoto(c *fiber.Ctx) error {
	ctx := c.UserContext()
	a, err := s.getAuction(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	if a.Owner != farmers.CurrentUser(c).ID {
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
	n, err := s.photos.CountDocuments(ctx, bson.D{{Key: "auction", Value: a.ID}})
	if err != nil {
		return fmt.Errorf("count photos: %w", err)
	}
	if n >= maxPhotos {
		return httpx.Errorf(http.StatusConflict, "too_many_photos", "an auction may have at most %d photos", maxPhotos)
	}
	p := photoDoc{ID: bson.NewObjectID().Hex(), Auction: a.ID, ContentType: ct, Data: body, At: time.Now()}
	if _, err := s.photos.InsertOne(ctx, p); err != nil {
		return fmt.Errorf("insert photo: %w", err)
	}
	return c.Status(http.StatusCreated).JSON(fiber.Map{"photo": fiber.Map{"id": p.ID, "url": photoURL(p.ID)}})
}

func (s *Service) handleGetPhoto(c *fiber.Ctx) error {
	var p photoDoc
	err := s.photos.FindOne(c.UserContext(), bson.D{{Key: "_id", Value: c.Params("id")}}).Decode(&p)
	if store.IsNotFound(err) {
		return httpx.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("find photo: %w", err)
	}
	c.Set(fiber.HeaderContentType, p.ContentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	return c.Send(p.Data)
}

// photoURLs lists an auction's photos, for its view.
func (s *Service) photoURLs(ctx context.Context, auction string) ([]string, error) {
	docs, err := store.FindAll[idDoc](ctx, s.photos, "photos", bson.D{{Key: "auction", Value: auction}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}).SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	urls := make([]string, len(docs))
	for i, d := range docs {
		urls[i] = photoURL(d.ID)
	}
	return urls, nil
}

func photoURL(id string) string { return "/api/v1/photos/" + id }
