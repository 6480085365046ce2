package datasets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/liaoning12316/agrimaker/internal/tabular"
)

// ImportOptions choose how an import runs.
type ImportOptions struct {
	DryRun bool
	// JobID, when set, keeps every row's outcome under that job (import_rows).
	JobID string
	// Progress, when set, sees the report after every batch.
	Progress func(Report)
}

// ErrInterrupted is an import stopped by shutdown or cancellation; its
// report says up to which row it committed.
var ErrInterrupted = errors.New("import interrupted")

// Import reads r into dataset d batch by batch, never holding more than
// one batch of rows. It fails before writing anything when the header does
// not fit; a malformed row later (broken quoting) stops it after the rows
// before it are committed, and the report says where.
func (s *Service) Import(ctx context.Context, d *Dataset, r tabular.Reader, opts ImportOptions) (*Report, error) {
	hm, err := MapHeader(d, r.Header())
	if err != nil {
		return nil, err
	}
	rep := &Report{Dataset: d.Name, DryRun: opts.DryRun, Encoding: r.Encoding(), Columns: hm.Mapped, Ignored: hm.Ignored, Rejections: []Rejection{}}
	rep.started = time.Now()
	defer rep.clock()
	b := &batch{}
	for {
		if ctx.Err() != nil {
			return rep, fmt.Errorf("%w after row %d", ErrInterrupted, rep.CommittedRow)
		}
		cells, rowNum, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if ferr := s.commit(ctx, d, b, rep, opts); ferr != nil {
				return rep, ferr
			}
			return rep, fmt.Errorf("read %s file: %w", d.Name, err)
		}
		b.items = append(b.items, parseRow(d, hm, cells, rowNum))
		if len(b.items) >= s.cfg.BatchSize {
			if err := s.commit(ctx, d, b, rep, opts); err != nil {
				return rep, err
			}
		}
	}
	if err := s.commit(ctx, d, b, rep, opts); err != nil {
		return rep, err
	}
	if !opts.DryRun && rep.Imported+rep.Updated > 0 {
		s.Touch(ctx, d.Name)
	}
	return rep, nil
}

// commit writes (or, dry, classifies) one batch, records its outcomes and
// starts the next batch.
func (s *Service) commit(ctx context.Context, d *Dataset, b *batch, rep *Report, opts ImportOptions) error {
	if len(b.items) == 0 {
		return nil
	}
	var err error
	if opts.DryRun {
		err = s.classifyBatch(ctx, d, b)
	} else {
		err = s.writeBatch(ctx, d, b)
	}
	if err != nil {
		return fmt.Errorf("batch from row %d: %w", b.items[0].row, err)
	}
	if opts.JobID != "" {
		if err := s.saveRows(ctx, opts.JobID, b); err != nil {
			return err
		}
	}
	for _, it := range b.items {
		rep.add(it.outcome)
		if it.outcome == OutRejected {
			rep.reject(it.row, it.reasons)
		}
	}
	rep.CommittedRow = b.items[len(b.items)-1].row
	rep.clock()
	if opts.Progress != nil {
		opts.Progress(*rep)
	}
	b.no++
	b.items = b.items[:0]
	return nil
}
