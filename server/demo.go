package server

import (
	"context"
	"time"

	"github.com/liaoning12316/agrimaker/farmers/seed"
)

// loadDemo seeds an empty registry in the background (Config.Demo). The
// registry being empty is the sign of a fresh install; a database with
// real people is never seeded.
func (s *Server) loadDemo(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	people, ok := s.Datasets.Get("people")
	if !ok {
		return
	}
	n, err := s.Store.DB.Collection(people.Collection).EstimatedDocumentCount(ctx)
	if err != nil || n > 0 {
		return
	}
	s.log.Info("loading demo data into an empty registry (AGRI_DEMO=0 turns this off)")
	reps, err := seed.Run(ctx, s.Datasets, seed.Options{})
	if err != nil {
		s.log.Warn("demo data", "err", err)
		return
	}
	for name, r := range reps {
		s.log.Info("demo data loaded", "dataset", name, "rows", r.Rows)
	}
}
