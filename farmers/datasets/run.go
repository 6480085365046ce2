package datasets

import (
	"context"
	"errors"
	"net/http"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/tabular"
)

// openImport opens a file for dataset d and checks its header, so that a
// file that cannot be imported at all is refused before any job or write.
func openImport(d *Dataset, path string) (tabular.Reader, error) {
	r, err := tabular.Open(path)
	if err != nil {
		return nil, fileError(err)
	}
	if _, err := MapHeader(d, r.Header()); err != nil {
		r.Close()
		return nil, fileError(err)
	}
	return r, nil
}

// fileError turns a file problem into the API's 422 with a code a client
// can act on.
func fileError(err error) error {
	var he *HeaderError
	switch {
	case errors.As(err, &he):
		return unusable(he.Code, he.Message)
	case errors.Is(err, tabular.ErrEmpty):
		return unusable("empty_file", "the file is empty or has no header row")
	case errors.Is(err, tabular.ErrEncoding):
		return unusable("bad_encoding", "the file is neither UTF-8 nor GBK text, nor an XLSX workbook")
	case errors.Is(err, tabular.ErrFormat):
		return unusable("bad_format", err.Error())
	}
	return err
}

// unusable is a 422 about the uploaded file as a whole; like every 422 it
// names the field at fault, here the file.
func unusable(code, message string) *httpx.Error {
	return &httpx.Error{Status: http.StatusUnprocessableEntity, Code: code, Message: message,
		Fields: map[string]string{"file": message}}
}

// JobMeta describes a new job.
type JobMeta struct {
	Filename string
	Size     int64
	DryRun   bool
	By       string
}

// StartImport checks the file and starts a job importing it in the
// background; done, if set, is called with the final job. The file is
// removed when the job ends if removeAfter.
func (s *Service) StartImport(d *Dataset, path string, meta JobMeta, removeAfter bool, done func(Job)) (*Job, error) {
	r, err := openImport(d, path)
	if err != nil {
		return nil, err
	}
	rj, err := s.claim(d, meta)
	if err != nil {
		r.Close()
		return nil, err
	}
	s.importWG.Add(1)
	go func() {
		defer s.importWG.Done()
		final := s.runJob(s.ctx, d, r, rj)
		if removeAfter {
			removeQuietly(path)
		}
		if done != nil {
			done(final)
		}
	}()
	j := rj.snapshot()
	return &j, nil
}

// ImportFile runs an import to its end (the command line uses it).
func (s *Service) ImportFile(ctx context.Context, d *Dataset, path string, meta JobMeta, progress func(Job)) (Job, error) {
	r, err := openImport(d, path)
	if err != nil {
		return Job{}, err
	}
	rj, err := s.claim(d, meta)
	if err != nil {
		r.Close()
		return Job{}, err
	}
	rj.progress = progress
	j := s.runJob(ctx, d, r, rj)
	if j.Error != nil {
		return j, errors.New(j.Error.Message)
	}
	return j, nil
}

// claim registers a new running job; one import per dataset at a time in
// a process (two at once would race on the same keys' fingerprints).
func (s *Service) claim(d *Dataset, meta JobMeta) (*runningJob, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busy[d.Name] {
		return nil, httpx.Errorf(http.StatusConflict, "import_running", "an import into %s is already running; wait for it to finish", d.Name)
	}
	now := time.Now()
	rj := &runningJob{job: Job{ID: bson.NewObjectID().Hex(), Dataset: d.Name, Filename: meta.Filename, Size: meta.Size,
		DryRun: meta.DryRun, By: meta.By, State: JobRunning, StartedAt: now, UpdatedAt: now,
		Report: Report{Dataset: d.Name, DryRun: meta.DryRun, Rejections: []Rejection{}}}}
	s.busy[d.Name] = true
	s.running[rj.job.ID] = rj
	return rj, nil
}

// runJob runs the import, saving the job after every batch, and returns
// the final job.
func (s *Service) runJob(ctx context.Context, d *Dataset, r tabular.Reader, rj *runningJob) Job {
	defer r.Close()
	defer s.forgetRunning(rj.job.ID)
	saveCtx := context.WithoutCancel(ctx) // the job's record is written even when the import is stopped
	_ = s.saveJob(saveCtx, rj.snapshot())
	rep, err := s.Import(ctx, d, r, ImportOptions{DryRun: rj.job.DryRun, JobID: rj.job.ID, Progress: func(rep Report) {
		rj.update(func(j *Job) { j.Report = rep; j.UpdatedAt = time.Now() })
		if err := s.saveJob(saveCtx, rj.snapshot()); err != nil {
			s.log.Warn("import progress", "job", rj.job.ID, "err", err)
		}
		if rj.progress != nil {
			rj.progress(rj.snapshot())
		}
	}})
	s.release(d.Name)
	rj.update(func(j *Job) { finish(j, rep, err) })
	final := rj.snapshot()
	if err := s.saveJob(saveCtx, final); err != nil {
		s.log.Error("import job not saved", "job", final.ID, "err", err)
	}
	s.log.Info("import finished", "job", final.ID, "dataset", d.Name, "state", final.State,
		"rows", final.Report.Rows, "rowsPerSecond", int(final.Report.RowsPerSecond))
	return final
}

func finish(j *Job, rep *Report, err error) {
	if rep != nil {
		j.Report = *rep
	}
	j.FinishedAt = time.Now()
	j.UpdatedAt = j.FinishedAt
	switch {
	case err == nil:
		j.State = JobDone
	case errors.Is(err, ErrInterrupted) || errors.Is(err, context.Canceled):
		j.State = JobInterrupted
		j.Error = &JobError{Code: "interrupted", Message: err.Error() + "; import the file again to finish it"}
	default:
		j.State = JobFailed
		code := "import_failed"
		if e := httpx.AsError(fileError(err)); e.Status == http.StatusUnprocessableEntity {
			code = e.Code
		}
		j.Error = &JobError{Code: code, Message: err.Error() + "; rows up to the committed row are stored, import the file again to resume"}
	}
}

func (r *runningJob) update(f func(*Job)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.job)
}

// release lets the next import into dataset start.
func (s *Service) release(dataset string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.busy, dataset)
}

// forgetRunning drops the live job once its final state is stored.
func (s *Service) forgetRunning(job string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.running, job)
}
