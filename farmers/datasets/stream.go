package datasets

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/tabular"
)

// A download may run long on a big dataset, but not forever.
const streamTimeout = 30 * time.Minute

// streamAll sends every matching document, read through one cursor and
// written as it arrives, so memory does not grow with the dataset. The
// status is sent before the first row: an error later can only cut the
// download short (logged; the client sees a truncated body).
func streamAll(c *fiber.Ctx, coll *mongo.Collection, filter bson.D, d *Dataset, view View, format string) error {
	if c.Method() == fiber.MethodHead {
		// No body is sent, so the stream writer would never run and
		// close the cursor: answer the status and type without one.
		c.Set(fiber.HeaderContentType, downloadType(format))
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), streamTimeout)
	cur, err := coll.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(500))
	if err != nil {
		cancel()
		return fmt.Errorf("download %s: %w", d.Name, err)
	}
	name := d.Name + "-" + time.Now().Format("20060102")
	c.Set(fiber.HeaderContentType, downloadType(format))
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.`+format+`"`)
	english := c.Query("headers") == "en"
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer cancel()
		defer cur.Close(ctx)
		var err error
		if format == "csv" {
			err = writeCSV(ctx, w, cur, d, view, english)
		} else {
			err = writeJSON(ctx, w, cur, view)
		}
		if err != nil {
			fmt.Fprintf(w, "\n") // the body ends early; the error is in the log
			logStreamError(d.Name, err)
		}
	})
	return nil
}

func writeCSV(ctx context.Context, w *bufio.Writer, cur *mongo.Cursor, d *Dataset, view View, english bool) error {
	tw := tabular.NewCSVWriter(w)
	if err := tw.WriteRow(HeaderRow(d, english)); err != nil {
		return err
	}
	for cur.Next(ctx) {
		_, cells, err := view(cur.Current)
		if err != nil {
			return err
		}
		if err := tw.WriteRow(cells); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return err
	}
	return tw.Close()
}

func writeJSON(ctx context.Context, w *bufio.Writer, cur *mongo.Cursor, view View) error {
	w.WriteString("[")
	first := true
	for cur.Next(ctx) {
		item, _, err := view(cur.Current)
		if err != nil {
			return err
		}
		b, err := json.Marshal(item)
		if err != nil {
			return err
		}
		if !first {
			w.WriteString(",\n")
		}
		first = false
		w.Write(b)
	}
	if err := cur.Err(); err != nil {
		return err
	}
	_, err := w.WriteString("]\n")
	return err
}

// HeaderRow is the header of a download: Chinese titles by default (what
// Excel users read), canonical names with english. Both import back.
func HeaderRow(d *Dataset, english bool) []string {
	h := make([]string, len(d.Columns))
	for i, col := range d.Columns {
		h[i] = col.Title
		if english || col.Title == "" {
			h[i] = col.Name
		}
	}
	return h
}

// downloadLog is where cut-short downloads are reported; NewService sets it.
var downloadLog = slog.Default()

func logStreamError(dataset string, err error) {
	downloadLog.Warn("download cut short", "dataset", dataset, "err", err)
}

func downloadType(format string) string {
	if format == "csv" {
		return "text/csv; charset=utf-8"
	}
	return fiber.MIMEApplicationJSONCharsetUTF8
}
