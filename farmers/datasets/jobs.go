package datasets

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/liaoning12316/agrimaker/internal/store"
	"github.com/liaoning12316/agrimaker/internal/tz"
)

// Job states.
const (
	JobRunning     = "running"
	JobDone        = "done"
	JobFailed      = "failed"
	JobInterrupted = "interrupted"
)

// Job is one import, kept with its report so administrators can read it
// later; every row's outcome is kept in import_rows.
type Job struct {
	ID         string    `bson:"_id" json:"id"`
	Dataset    string    `bson:"dataset" json:"dataset"`
	Filename   string    `bson:"filename" json:"filename"`
	Size       int64     `bson:"size" json:"size"`
	DryRun     bool      `bson:"dryRun" json:"dryRun"`
	By         string    `bson:"by" json:"by"` // user id, or "cli"
	State      string    `bson:"state" json:"state"`
	Report     Report    `bson:"report" json:"report"`
	Error      *JobError `bson:"error,omitempty" json:"error,omitempty"`
	StartedAt  time.Time `bson:"startedAt" json:"startedAt"`
	UpdatedAt  time.Time `bson:"updatedAt" json:"updatedAt"`
	FinishedAt time.Time `bson:"finishedAt,omitempty" json:"finishedAt,omitzero"`
}

// JobError is why a job stopped early.
type JobError struct {
	Code    string `bson:"code" json:"code"`
	Message string `bson:"message" json:"message"`
}

// runningJob is a job this process is running; its report is live.
type runningJob struct {
	mu       sync.Mutex
	job      Job
	progress func(Job) // the command line's progress line
}

func (r *runningJob) snapshot() Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.job
	j.Report.Rejections = append([]Rejection(nil), j.Report.Rejections...)
	return j
}

// rowLog is one batch's outcomes: rows[i] had outcome out[i].
type rowLog struct {
	ID      string      `bson:"_id"`
	Job     string      `bson:"job"`
	Batch   int         `bson:"batch"`
	Rows    []int32     `bson:"rows"`
	Out     string      `bson:"out"`
	Rejects []Rejection `bson:"rejects,omitempty"`
}

func (s *Service) saveRows(ctx context.Context, job string, b *batch) error {
	l := rowLog{ID: fmt.Sprintf("%s:%06d", job, b.no), Job: job, Batch: b.no}
	out := make([]byte, len(b.items))
	for i, it := range b.items {
		l.Rows = append(l.Rows, int32(it.row))
		out[i] = it.outcome
		if it.outcome == OutRejected {
			l.Rejects = append(l.Rejects, Rejection{Row: it.row, Fields: it.reasons})
		}
	}
	l.Out = string(out)
	if _, err := s.jobRows.InsertOne(ctx, l); err != nil && !store.IsDuplicate(err) {
		return fmt.Errorf("save import rows: %w", err)
	}
	return nil
}

func (s *Service) saveJob(ctx context.Context, j Job) error {
	_, err := s.jobs.ReplaceOne(ctx, bson.D{{Key: "_id", Value: j.ID}}, j, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("save import job %s: %w", j.ID, err)
	}
	return nil
}

// job returns a job: the live one when this process runs it.
func (s *Service) job(ctx context.Context, id string) (*Job, error) {
	s.mu.Lock()
	r := s.running[id]
	s.mu.Unlock()
	if r != nil {
		j := r.snapshot()
		return &j, nil
	}
	var j Job
	if err := s.jobs.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&j); err != nil {
		return nil, err
	}
	orphaned(&j)
	return &j, nil
}

// A job saves its report after every batch. One that claims to run but has
// not saved for this long lost its process (a crash or kill).
const orphanAfter = 2 * time.Minute

func orphaned(j *Job) {
	if j.State == JobRunning && time.Since(j.UpdatedAt) > orphanAfter {
		j.State = JobInterrupted
		j.Error = &JobError{Code: "interrupted", Message: fmt.Sprintf(
			"the import stopped after row %d when its server stopped; import the file again to finish it", j.Report.CommittedRow)}
	}
}

// shown puts a job's times in Asia/Shanghai, as the API shows every time.
func (j Job) shown() Job {
	j.StartedAt, j.UpdatedAt = tz.In(j.StartedAt), tz.In(j.UpdatedAt)
	if !j.FinishedAt.IsZero() {
		j.FinishedAt = tz.In(j.FinishedAt)
	}
	return j
}
