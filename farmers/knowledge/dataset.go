package knowledge

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/liaoning12316/agrimaker/farmers/access"
	"github.com/liaoning12316/agrimaker/farmers/datasets"
)

// Limits of one entry, in characters.
const (
	maxQuestion = 2000
	maxAnswer   = 10000
	maxLabel    = 50 // category, crop, expert
)

// Dataset describes the knowledge base to the catalogue, imports and
// downloads.
//
// Key: 12316's own ticket number when the file has one (工单号/编号/id),
// else "h:" and a hash of the question and its time, so importing the
// same export twice updates instead of duplicating. Downloads write the
// key into the id column, so a download imports back onto the same
// entries.
var Dataset = &datasets.Dataset{
	Name:        "knowledge",
	Title:       "12316 咨询知识库",
	TitleEn:     "12316 hotline knowledge base",
	Description: "Questions farmers asked the 12316 hotline and the experts' answers, with category, crop, region and time.",
	Licence:     "CC-BY-4.0",
	Frequency:   "daily",
	Scope:       access.ScopeKnowledgeRead,
	Collection:  collection,
	ListPath:    "/api/v1/knowledge",
	KeyField:    "key",
	Columns: []datasets.Column{
		{Name: "id", Title: "编号", Aliases: []string{"工单号", "工单编号", "咨询编号", "ID"}, Type: "string",
			Description: "12316 ticket number; empty: derived from question and time"},
		{Name: "question", Title: "问题", Aliases: []string{"咨询问题", "咨询内容", "来电内容", "问题描述"}, Type: "string", Required: true},
		{Name: "answer", Title: "解答", Aliases: []string{"答案", "回答", "答复", "答复内容", "解答内容"}, Type: "string", Required: true},
		{Name: "category", Title: "类别", Aliases: []string{"分类", "问题类别", "问题分类", "咨询类别"}, Type: "string"},
		{Name: "crop", Title: "作物", Aliases: []string{"作物名称", "品种", "产品"}, Type: "string"},
		{Name: "region", Title: "地区", Aliases: []string{"区域", "地区代码", "行政区划", "行政区划代码", "所在地"}, Type: "region",
			Description: "GB/T 2260 code or name of a Liaoning city or county"},
		{Name: "expert", Title: "专家", Aliases: []string{"解答专家", "答复专家", "坐席"}, Type: "string"},
		{Name: "time", Title: "咨询时间", Aliases: []string{"时间", "来电时间", "受理时间", "日期"}, Type: "datetime", Required: true,
			Description: "Shanghai time, YYYY-MM-DD HH:MM:SS"},
	},
	Parse:  parseRow,
	Format: formatDoc,
}

const collection = "knowledge"

// entryFields are the stored fields of an entry (no _id), with its tokens.
func entryFields(key string, e *Entry) bson.D {
	return bson.D{
		{Key: "key", Value: key}, {Key: "question", Value: e.Question}, {Key: "answer", Value: e.Answer},
		{Key: "category", Value: e.Category}, {Key: "crop", Value: e.Crop}, {Key: "region", Value: e.Region},
		{Key: "expert", Value: e.Expert}, {Key: "time", Value: e.Time},
		{Key: "tokens", Value: indexTokens(e.Question, e.Answer, e.Crop, e.Category)},
	}
}

func parseRow(r datasets.Row) (datasets.Record, error) {
	e := Entry{Question: r["question"], Answer: r["answer"], Category: r["category"], Crop: r["crop"], Expert: r["expert"]}
	bad := map[string]string{}
	checkText(bad, "question", e.Question, maxQuestion)
	checkText(bad, "answer", e.Answer, maxAnswer)
	for _, f := range []struct{ name, v string }{{"category", e.Category}, {"crop", e.Crop}, {"expert", e.Expert}} {
		if utf8.RuneCountInString(f.v) > maxLabel {
			bad[f.name] = fmt.Sprintf("must be at most %d characters", maxLabel)
		}
	}
	if v := r["region"]; v != "" {
		code, ok := datasets.RegionCell(v)
		if !ok {
			bad["region"] = "must be a Liaoning region (GB/T 2260 code or name)"
		}
		e.Region = code
	}
	t, ok := datasets.ParseDateTime(r["time"])
	if !ok {
		bad["time"] = "must be a time like 2026-11-27 14:30:00"
	}
	e.Time = t
	if len(bad) > 0 {
		return datasets.Record{}, &datasets.RowError{Fields: bad}
	}
	key := r["id"]
	if key == "" {
		key = derivedKey(e.Question, e.Time)
	}
	return datasets.Record{Key: key, Fields: entryFields(key, &e)}, nil
}

func checkText(bad map[string]string, name, v string, max int) {
	switch n := utf8.RuneCountInString(v); {
	case n == 0:
		bad[name] = "is required"
	case n > max:
		bad[name] = fmt.Sprintf("must be at most %d characters", max)
	}
}

// derivedKey identifies an entry without a ticket number: the same
// question asked at the same second is the same call.
func derivedKey(question string, t time.Time) string {
	sum := sha256.Sum256([]byte(question + "\x00" + t.UTC().Format(time.RFC3339)))
	return "h:" + hex.EncodeToString(sum[:12])
}

func formatDoc(raw bson.Raw) ([]string, error) {
	var e Entry
	if err := bson.Unmarshal(raw, &e); err != nil {
		return nil, fmt.Errorf("decode knowledge entry: %w", err)
	}
	return []string{e.Key, e.Question, e.Answer, e.Category, e.Crop, e.Region, e.Expert, datasets.FormatDateTime(e.Time)}, nil
}
