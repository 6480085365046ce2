package datasets

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/httpx"
)

// View turns one stored document into what this caller may see: the JSON
// item and its download cells (in the dataset's Columns order). A view is
// where masking happens, so lists and downloads can never disagree.
type View func(raw bson.Raw) (item any, cells []string, err error)

// RespondList answers a list route: by default one JSON page
// {"items","next"} in _id order (ids are strings), ?limit and ?cursor, with
// an ETag; with ?format=csv or ?format=json the whole filtered set,
// streamed. Filters are the caller's; only literal values may be in them.
func RespondList(c *fiber.Ctx, coll *mongo.Collection, filter bson.D, d *Dataset, view View) error {
	switch f := c.Query("format"); f {
	case "":
		return respondPage(c, coll, filter, view)
	case "csv", "json":
		return streamAll(c, coll, filter, d, view, f)
	default:
		return httpx.Invalid(map[string]string{"format": "must be csv or json"})
	}
}

func respondPage(c *fiber.Ctx, coll *mongo.Collection, filter bson.D, view View) error {
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	f := filter
	if cur := c.Query("cursor"); cur != "" {
		f = append(append(bson.D{}, filter...), bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: cur}}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit) + 1)
	cur, err := coll.Find(c.UserContext(), f, opts)
	if err != nil {
		return fmt.Errorf("list %s: %w", coll.Name(), err)
	}
	defer cur.Close(c.UserContext())
	page := httpx.List[any]{Items: []any{}}
	last := ""
	for cur.Next(c.UserContext()) {
		if len(page.Items) == limit {
			page.Next = last // there is more after this page
			break
		}
		item, _, err := view(cur.Current)
		if err != nil {
			return err
		}
		page.Items = append(page.Items, item)
		last, _ = cur.Current.Lookup("_id").StringValueOK()
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("list %s: %w", coll.Name(), err)
	}
	return JSONWithETag(c, page)
}

// JSONWithETag sends v as JSON with a strong ETag of its bytes, or 304
// when the client's If-None-Match already names it.
func JSONWithETag(c *fiber.Ctx, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	sum := sha256.Sum256(body)
	tag := `"` + hex.EncodeToString(sum[:12]) + `"`
	c.Set(fiber.HeaderETag, tag)
	c.Set(fiber.HeaderCacheControl, "no-cache") // revalidate each time: cheap with the ETag
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), tag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(body)
}

// etagMatches reads If-None-Match: "*", one tag, or a list; weak tags
// compare by their value (RFC 9110 weak comparison for GET).
func etagMatches(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

// PlainView shows documents as they are stored, decoded into T for JSON,
// with the dataset's own Format for download cells. For datasets without
// personal data.
func PlainView[T any](d *Dataset) View {
	return func(raw bson.Raw) (any, []string, error) {
		var v T
		if err := bson.Unmarshal(raw, &v); err != nil {
			return nil, nil, fmt.Errorf("decode %s record: %w", d.Name, err)
		}
		cells, err := d.Format(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("format %s record: %w", d.Name, err)
		}
		return v, cells, nil
	}
}
