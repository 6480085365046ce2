package contest

import (
	"context"
	"slices"

	"github.com/liaoning12316/agrimaker/farmers"
	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/store"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// isOrganiser: organisers run contests; administrators may do all they do.
func isOrganiser(u *farmers.User) bool {
	return u.HasRole(farmers.RoleOrganizer) || u.HasRole(farmers.RoleAdmin)
}

// isTeam reports whether u leads or is on the team.
func isTeam(u *farmers.User, e *entryDoc) bool {
	return e.Leader == u.ID || e.hasMember(u.Phone)
}

// canSeeEntry lets the team, organisers and the entry's judges read it:
// judges assigned to it in a scored round, or pool judges without a
// conflict once it is in a pairwise round.
func (s *Service) canSeeEntry(ctx context.Context, u *farmers.User, e *entryDoc) error {
	if isTeam(u, e) || isOrganiser(u) {
		return nil
	}
	if !u.HasRole(farmers.RoleJudge) {
		return httpx.ErrForbidden
	}
	as, err := store.FindAll[assignmentDoc](ctx, s.assignments, "assignments", bson.D{{Key: "edition", Value: e.Edition}})
	if err != nil {
		return err
	}
	for _, a := range as {
		if slices.ContainsFunc(a.Result.Assignments, func(x Assignment) bool { return x.EntryID == e.ID && x.JudgeID == u.ID }) {
			return nil
		}
	}
	if ok, err := s.inPairwiseRound(ctx, u, e); err != nil || ok {
		return err
	}
	return httpx.ErrForbidden
}

func (s *Service) inPairwiseRound(ctx context.Context, u *farmers.User, e *entryDoc) (bool, error) {
	rounds, err := s.editionRounds(ctx, e.Edition)
	if err != nil {
		return false, err
	}
	for i := range rounds {
		if rounds[i].Mode != ModePairwise {
			continue
		}
		rd, err := s.loadRound(ctx, rounds[i].ID)
		if err != nil {
			return false, err
		}
		pj, ok := rd.judge(u.ID)
		if ok && rd.inRound(e.ID) && rd.eligibleFor(pj)(e.ID) {
			return true, nil
		}
	}
	return false, nil
}

// hideContacts blanks members' phones and birth dates.
func (e *entryDoc) hideContacts() {
	ms := make([]Member, len(e.Members))
	for i, m := range e.Members {
		m.Phone, m.BirthDate = "", ""
		ms[i] = m
	}
	e.Members = ms
}
