package tabular

import (
	"strconv"
	"strings"
)

// Spreadsheet programs run a CSV cell that starts with = + - @ (or a tab
// or carriage return) as a formula: "CSV injection", since downloads hold
// text that people typed (a supply post's title, a name). The writer puts
// an apostrophe before such a cell, which Excel and WPS show as the text
// itself, and the reader takes it off again, so a download imported back
// gives the same values. Numbers ("-5", "+3.5") are left alone: they are
// no formula, and quoting them would turn them into text.

func isFormulaStart(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		_, err := strconv.ParseFloat(s, 64)
		return err != nil
	}
	return false
}

// escapeFormula neutralises a cell that a spreadsheet would evaluate, and
// quotes a cell that already looks escaped, so that reading it back does
// not strip its own apostrophe.
func escapeFormula(s string) string {
	if needsEscape(s) {
		return "'" + s
	}
	return s
}

// needsEscape: a formula, or apostrophes before one.
func needsEscape(s string) bool {
	return isFormulaStart(strings.TrimLeft(s, "'"))
}

// unescapeFormula undoes escapeFormula.
func unescapeFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && needsEscape(s[1:]) {
		return s[1:]
	}
	return s
}
