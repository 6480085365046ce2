package datasets

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"
)

// handleImport: POST /datasets/{name}/imports?dryRun=&filename=&wait= with the
// file as the raw body (CSV in UTF-8 or GBK, or XLSX). The upload is
// spooled to disk first (XLSX needs random access, and a long import must
// not hold the request); then 202 with the job, whose progress GET
// /imports/{id} shows. wait=true answers 200 with the finished job
// instead (small files, scripts).
func (s *Service) handleImport(c *fiber.Ctx) error {
	d, ok := s.Get(c.Params("name"))
	if !ok {
		return httpx.Errorf(http.StatusNotFound, "not_found", "no dataset %q", c.Params("name"))
	}
	dry, wait := c.QueryBool("dryRun"), c.QueryBool("wait")
	path, size, err := s.spool(c)
	if err != nil {
		return err
	}
	meta := JobMeta{Filename: filenameParam(c), Size: size, DryRun: dry, By: farmers.CurrentUser(c).ID}
	if !wait {
		j, err := s.StartImport(d, path, meta, true, nil)
		if err != nil {
			removeQuietly(path)
			return err
		}
		return c.Status(http.StatusAccepted).JSON(fiber.Map{"import": j.shown()})
	}
	defer removeQuietly(path)
	j, err := s.ImportFile(c.UserContext(), d, path, meta, nil)
	if err != nil && j.ID == "" {
		return err // refused before it started
	}
	return c.JSON(fiber.Map{"import": j.shown()})
}

func filenameParam(c *fiber.Ctx) string {
	name := filepath.Base(c.Query("filename", "upload"))
	if len(name) > 200 {
		name = name[:200]
	}
	return name
}

// spool writes the request body to a temporary file, refusing empty and
// oversized uploads.
func (s *Service) spool(c *fiber.Ctx) (string, int64, error) {
	f, err := os.CreateTemp(s.cfg.SpoolDir, "agrimaker-import-*")
	if err != nil {
		return "", 0, fmt.Errorf("spool upload: %w", err)
	}
	defer f.Close()
	n, err := httpx.CopyBody(c, f, s.cfg.MaxUpload)
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		removeQuietly(f.Name())
		return "", 0, err
	}
	if n == 0 {
		removeQuietly(f.Name())
		return "", 0, unusable("empty_file", "the upload is empty: send the file as the request body")
	}
	return f.Name(), n, nil
}

// handleJobs: GET /imports — the latest jobs, newest first.
func (s *Service) handleJobs(c *fiber.Ctx) error {
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	jobs, err := store.FindAll[Job](c.UserContext(), s.jobs, "import jobs", bson.D{},
		options.Find().SetSort(bson.D{{Key: "startedAt", Value: -1}}).SetLimit(int64(limit)).
			SetProjection(bson.D{{Key: "report.rejections", Value: 0}}))
	if err != nil {
		return err
	}
	for i := range jobs {
		s.liven(&jobs[i])
		jobs[i] = jobs[i].shown()
	}
	return c.JSON(httpx.List[Job]{Items: jobs})
}

// liven replaces a stored job by its live state when this process runs it.
func (s *Service) liven(j *Job) {
	s.mu.Lock()
	r := s.running[j.ID]
	s.mu.Unlock()
	if r != nil {
		*j = r.snapshot()
		return
	}
	orphaned(j)
}

// handleJob: GET /imports/{id}.
func (s *Service) handleJob(c *fiber.Ctx) error {
	j, err := s.job(c.UserContext(), c.Params("id"))
	if store.IsNotFound(err) {
		return httpx.Errorf(http.StatusNotFound, "not_found", "no import %q", c.Params("id"))
	}
	if err != nil {
		return fmt.Errorf("load import job: %w", err)
	}
	return c.JSON(fiber.Map{"import": j.shown()})
}

// RowOutcome is one row of a job's per-row report.
type RowOutcome struct {
	Row     int               `json:"row"`
	Outcome string            `json:"outcome"`
	Reasons map[string]string `json:"reasons,omitempty"`
}

// handleJobRows: GET /imports/{id}/rows?outcome=&cursor=&limit= — every
// row's outcome in file order; cursor is the last row number seen.
func (s *Service) handleJobRows(c *fiber.Ctx) error {
	id := c.Params("id")
	if _, err := s.job(c.UserContext(), id); store.IsNotFound(err) {
		return httpx.Errorf(http.StatusNotFound, "not_found", "no import %q", id)
	} else if err != nil {
		return fmt.Errorf("load import job: %w", err)
	}
	want, err := outcomeFilter(c.Query("outcome"))
	if err != nil {
		return err
	}
	limit, err := httpx.Limit(c)
	if err != nil {
		return err
	}
	after, err := httpx.QueryInt(c, "cursor", 0, 0)
	if err != nil {
		return err
	}
	logs, err := store.FindAll[rowLog](c.UserContext(), s.jobRows, "import rows",
		bson.D{{Key: "job", Value: id}}, options.Find().SetSort(bson.D{{Key: "batch", Value: 1}}))
	if err != nil {
		return err
	}
	return c.JSON(pageRows(logs, want, int(after), limit))
}

func outcomeFilter(q string) (byte, error) {
	switch q {
	case "":
		return 0, nil
	case "imported":
		return OutImported, nil
	case "updated":
		return OutUpdated, nil
	case "unchanged":
		return OutUnchanged, nil
	case "rejected":
		return OutRejected, nil
	}
	return 0, httpx.Invalid(map[string]string{"outcome": "must be imported, updated, unchanged or rejected"})
}

func pageRows(logs []rowLog, want byte, after, limit int) httpx.List[RowOutcome] {
	page := httpx.List[RowOutcome]{Items: []RowOutcome{}}
	for _, l := range logs {
		reasons := map[int]map[string]string{}
		for _, r := range l.Rejects {
			reasons[r.Row] = r.Fields
		}
		for i, row := range l.Rows {
			o := l.Out[i]
			if int(row) <= after || (want != 0 && o != want) {
				continue
			}
			if len(page.Items) == limit {
				page.Next = strconv.Itoa(page.Items[len(page.Items)-1].Row)
				return page
			}
			page.Items = append(page.Items, RowOutcome{Row: int(row), Outcome: OutcomeName(o), Reasons: reasons[int(row)]})
		}
	}
	return page
}
