package contest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/liaoning12316/agrimaker/internal/httpx"
	"github.com/liaoning12316/agrimaker/internal/tabular"
)

// Export tables: entries, score sheets (one row per criterion value, the
// shape pivot tables want) and round results.
var exportTables = map[string]func(*exportData) [][]string{
	"entries": entryRows,
	"scores":  scoreRows,
	"results": resultRows,
}

// exportData is an edition loaded once for an export.
type exportData struct {
	rounds []*roundData
	docs   []entryDoc
	l      *ledger
}

func (s *Service) loadExport(ctx context.Context, edition string) (*exportData, error) {
	if _, err := s.edition(ctx, edition); err != nil {
		return nil, err
	}
	rounds, err := s.editionRounds(ctx, edition)
	if err != nil {
		return nil, err
	}
	x := &exportData{}
	for _, r := range rounds {
		rd, err := s.loadRound(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		x.rounds = append(x.rounds, rd)
	}
	if x.docs, err = s.editionEntries(ctx, edition); err != nil {
		return nil, err
	}
	if x.l, err = s.ledger(ctx, edition); err != nil {
		return nil, err
	}
	return x, nil
}

func entryRows(x *exportData) [][]string {
	rows := [][]string{{"id", "title", "track", "stage", "region", "leader", "members", "status", "review", "reviewReason", "veto", "submittedAt"}}
	for _, d := range x.docs {
		var ms []string
		for _, m := range d.Members {
			ms = append(ms, fmt.Sprintf("%s(%s,%s)", m.Name, m.Role, m.Org))
		}
		sub := ""
		if ev, ok := x.l.submitted[d.ID]; ok {
			sub = ev.At.Format(time.RFC3339)
		}
		rows = append(rows, []string{d.ID, d.Title, d.Track, d.Stage, d.Region, d.Leader, strings.Join(ms, "; "),
			x.l.status(d.ID), x.l.review[d.ID].Verdict, x.l.review[d.ID].Reason, x.l.vetoed[d.ID].Reason, sub})
	}
	return rows
}

func scoreRows(x *exportData) [][]string {
	rows := [][]string{{"round", "entry", "judge", "version", "criterion", "value", "comment", "submittedAt"}}
	for _, rd := range x.rounds {
		if rd.assignment == nil {
			continue
		}
		for _, a := range rd.assignment.Result.Assignments {
			ev, ok := rd.ledger.lockedSheet(rd.round.ID, a.EntryID, a.JudgeID)
			if !ok {
				continue
			}
			for _, c := range rd.round.Rubric.Criteria {
				rows = append(rows, []string{rd.round.Name, a.EntryID, a.JudgeID, strconv.Itoa(ev.Version), c.Key,
					num(ev.Sheet[c.Key]), ev.Comments[c.Key], ev.At.Format(time.RFC3339)})
			}
		}
	}
	return rows
}

func resultRows(x *exportData) [][]string {
	rows := [][]string{{"round", "rank", "entry", "title", "track", "region", "score", "raw", "stdDev", "spread", "disagreement", "advanced", "award"}}
	for _, rd := range x.rounds {
		ranking, _, err := rd.rank()
		if err != nil {
			rows = append(rows, []string{rd.round.Name, "", "", "error: " + err.Error()})
			continue
		}
		adv := rd.ledger.advanced[rd.round.ID].Entries
		awards := map[string]string{}
		for _, a := range rd.ledger.awarded[rd.round.ID].Awards {
			awards[a.EntryID] = a.Tier
		}
		for _, r := range ranking {
			d := rd.docs[r.EntryID]
			rows = append(rows, []string{rd.round.Name, strconv.Itoa(r.Rank), r.EntryID, d.Title, d.Track, d.Region,
				num(r.Score), num(r.Raw), num(r.StdDev), num(r.Spread), strconv.FormatBool(r.Disagreement),
				strconv.FormatBool(slices.Contains(adv, r.EntryID)), awards[r.EntryID]})
		}
	}
	return rows
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// handleExport: GET /contest/editions/{id}/export/{table}?format=csv|xlsx.
func (s *Service) handleExport(c *fiber.Ctx) error {
	table, format := c.Params("table"), c.Query("format", "csv")
	build, ok := exportTables[table]
	if !ok {
		return httpx.Errorf(404, "not_found", "no export table %q (there are %s)", table, strings.Join(exportTableNames(), ", "))
	}
	if format != "csv" && format != "xlsx" {
		return httpx.Invalid(map[string]string{"format": "must be one of: csv xlsx"})
	}
	x, err := s.loadExport(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w, ct := tabular.NewCSVWriter(&buf), "text/csv; charset=utf-8"
	if format == "xlsx" {
		w, ct = tabular.NewXLSXWriter(&buf, table), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	for _, row := range build(x) {
		if err := w.WriteRow(row); err != nil {
			return fmt.Errorf("export %s: %w", table, err)
		}
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("export %s: %w", table, err)
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-%s.%s"`, c.Params("id"), table, format))
	return c.Send(buf.Bytes())
}

// exportTableNames lists the tables for documentation and errors.
func exportTableNames() []string {
	var out []string
	for k := range exportTables {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
