package contest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Attachments (business plans, photos) are stored with GridFS in the
// bucket contest_files. GridFS works on the embedded FerretDB (tested:
// multi-chunk upload, download and a find on metadata), and it writes the
// files document after all chunks, so a crash mid-upload leaves unseen
// chunks, never a listed file with missing bytes.

// Attachment is a stored file's description.
type Attachment struct {
	ID          string    `json:"id"`
	Entry       string    `json:"entry"`
	Name        string    `json:"name"`
	ContentType string    `json:"contentType"`
	Size        int64     `json:"size"`
	UploadedAt  time.Time `json:"uploadedAt"`
	URL         string    `json:"url"`
}

type fileMeta struct {
	Entry       string `bson:"entry"`
	Edition     string `bson:"edition"`
	ContentType string `bson:"contentType"`
}

type fileDoc struct {
	ID         bson.ObjectID `bson:"_id"`
	Length     int64         `bson:"length"`
	UploadDate time.Time     `bson:"uploadDate"`
	Filename   string        `bson:"filename"`
	Metadata   fileMeta      `bson:"metadata"`
}

func (f *fileDoc) attachment() Attachment {
	id := f.ID.Hex()
	return Attachment{ID: id, Entry: f.Metadata.Entry, Name: f.Filename, ContentType: f.Metadata.ContentType,
		Size: f.Length, UploadedAt: tz.In(f.UploadDate), URL: "/api/v1/contest/attachments/" + id}
}

// attachmentPath is the upload route, let past the global 1 MiB limit.
const attachmentPath = "/api/v1/contest/entries/[^/]+/attachments"

// sniff decides the type from the bytes, never the name: a PDF by its
// magic, images by http.DetectContentType.
func sniff(b []byte) string {
	if bytes.HasPrefix(b, []byte("%PDF-")) {
		return "application/pdf"
	}
	switch ct := http.DetectContentType(b); ct {
	case "image/jpeg", "image/png", "image/webp":
		return ct
	}
	return ""
}

// handleUpload: POST /contest/entries/{id}/attachments?name=plan.pdf with
// the raw file as body, by the leader, while the entry is a draft.
func (s *Service) handleUpload(c *fiber.Ctx) error {
	ctx := c.UserContext()
	name, err := uploadName(c.Query("name"))
	if err != nil {
		return err
	}
	// The body is read before the other checks: a refusal sent while the
	// client is still uploading would reach it as a reset, not an answer.
	var buf bytes.Buffer
	if _, err := httpx.CopyBody(c, &buf, s.cfg.MaxPDFBytes); err != nil {
		return err
	}
	e, ed, l, err := s.leaderEntry(ctx, farmers.CurrentUser(c).ID, c.Params("id"))
	if err != nil {
		return err
	}
	if err := s.draftEditable(ed, l, e.ID); err != nil {
		return err
	}
	ct, err := s.checkFile(buf.Bytes())
	if err != nil {
		return err
	}
	have, err := s.entryFiles(ctx, bson.D{{Key: "metadata.entry", Value: e.ID}})
	if err != nil {
		return err
	}
	// Two uploads racing past this count may exceed the cap by one; the
	// cap only bounds storage, so that is accepted.
	if len(have) >= s.cfg.MaxAttachments {
		return httpx.Errorf(409, "too_many_attachments", "an entry may have at most %d attachments", s.cfg.MaxAttachments)
	}
	id := bson.NewObjectID()
	meta := fileMeta{Entry: e.ID, Edition: e.Edition, ContentType: ct}
	if err := s.files.UploadFromStreamWithID(ctx, id, name, bytes.NewReader(buf.Bytes()), options.GridFSUpload().SetMetadata(meta)); err != nil {
		return fmt.Errorf("store attachment: %w", err)
	}
	f := fileDoc{ID: id, Length: int64(buf.Len()), UploadDate: s.now(), Filename: name, Metadata: meta}
	return c.Status(http.StatusCreated).JSON(f.attachment())
}

// uploadName reads an upload's ?name=. It must be UTF-8 text: the name is
// stored as a string and shown in JSON, which would show other bytes as
// U+FFFD, not as the name stored.
func uploadName(q string) (string, error) {
	name := strings.TrimSpace(q)
	if name == "" || len(name) > 200 || strings.ContainsAny(name, "/\\\x00") || !utf8.ValidString(name) {
		return "", httpx.Invalid(map[string]string{"name": "is required: a UTF-8 file name without slashes, at most 200 bytes"})
	}
	return name, nil
}

// checkFile answers 415 for other types and 413 for an image over its cap
// (a PDF's cap is the body limit itself).
func (s *Service) checkFile(b []byte) (string, error) {
	ct := sniff(b)
	switch {
	case ct == "":
		return "", httpx.Errorf(http.StatusUnsupportedMediaType, "bad_attachment", "an attachment must be a PDF, JPEG, PNG or WebP file")
	case ct != "application/pdf" && int64(len(b)) > s.cfg.MaxImageBytes:
		return "", httpx.Errorf(http.StatusRequestEntityTooLarge, "too_large", "an image may be at most %d MiB", s.cfg.MaxImageBytes>>20)
	}
	return ct, nil
}

func (s *Service) entryFiles(ctx context.Context, filter bson.D) ([]Attachment, error) {
	cur, err := s.files.Find(ctx, filter, options.GridFSFind().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find attachments: %w", err)
	}
	var docs []fileDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read attachments: %w", err)
	}
	out := make([]Attachment, len(docs))
	for i := range docs {
		out[i] = docs[i].attachment()
	}
	return out, nil
}

// handleDownload: GET /contest/attachments/{id}, for the team, organisers
// and judges assigned to the entry.
func (s *Service) handleDownload(c *fiber.Ctx) error {
	ctx := c.UserContext()
	oid, err := bson.ObjectIDFromHex(c.Params("id"))
	if err != nil {
		return httpx.ErrNotFound
	}
	files, err := s.entryFiles(ctx, bson.D{{Key: "_id", Value: oid}})
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return httpx.ErrNotFound
	}
	e, err := s.entry(ctx, files[0].Entry)
	if err != nil {
		return err
	}
	if err := s.canSeeEntry(ctx, farmers.CurrentUser(c), e); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := s.files.DownloadToStream(ctx, oid, &buf); err != nil {
		if err == mongo.ErrFileNotFound {
			return httpx.ErrNotFound
		}
		return fmt.Errorf("read attachment %s: %w", oid.Hex(), err)
	}
	c.Set(fiber.HeaderContentType, files[0].ContentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf("attachment; filename*=UTF-8''%s", url.PathEscape(files[0].Name)))
	return c.Send(buf.Bytes())
}
