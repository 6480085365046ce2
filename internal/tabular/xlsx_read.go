package tabular

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
)

// OpenXLSX streams the first worksheet of an .xlsx file: the first sheet in
// xl/workbook.xml that is a worksheet (not a chart sheet), found through
// xl/_rels/workbook.xml.rels. Cells come back as the sheet stores them:
// numbers as written ("12.5"), dates as their serial numbers, booleans as
// "TRUE"/"FALSE" (as Excel shows them), formulas as their cached values.
//
// Memory: the sheet is decoded token by token, one row at a time, but the
// shared strings table (xl/sharedStrings.xml) is held in memory whole, since
// any cell may refer to any entry; it is capped at maxSharedStringBytes.
func OpenXLSX(path string) (Reader, error) {
	zr, err := zip.OpenReader(path)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are only looked up, never extracted
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, err // missing file or no permission, not a format problem
		}
		return nil, fmt.Errorf("%w: not a readable zip archive: %w", ErrFormat, err)
	}
	src, err := newXLSXSource(&zr.Reader, zr)
	if err != nil {
		_ = zr.Close()
		return nil, err
	}
	return newTable(src)
}

// xlsxSource supplies the rows of one worksheet to table.
type xlsxSource struct {
	sheet   *sheetParser
	guard   *byteGuard
	part    io.Closer // the worksheet's decompressor
	archive io.Closer // nil when the caller owns the zip
}

// newXLSXSource locates and opens the first worksheet of an archive.
func newXLSXSource(z *zip.Reader, archive io.Closer) (*xlsxSource, error) {
	files := indexZip(z)
	if files["xl/workbook.xml"] == nil {
		return nil, fmt.Errorf("%w: a zip archive, but not an Excel workbook (no xl/workbook.xml)", ErrFormat)
	}
	sheetPath, sstPath, err := locateParts(files)
	if err != nil {
		return nil, err
	}
	var sst []string
	if f := files[sstPath]; f != nil {
		if sst, err = loadSharedStrings(f); err != nil {
			return nil, err
		}
	}
	rc, err := files[sheetPath].Open()
	if err != nil {
		return nil, fmt.Errorf("%w: opening %s: %w", ErrFormat, sheetPath, err)
	}
	guard := newByteGuard(rc, maxRecordBytes)
	return &xlsxSource{sheet: newSheetParser(guard, sst), guard: guard, part: rc, archive: archive}, nil
}

func (s *xlsxSource) next() ([]string, int, error) {
	cells, rowNum, err := s.sheet.next()
	if err == nil {
		s.guard.allow(s.sheet.inputOffset())
	}
	return cells, rowNum, err
}

func (s *xlsxSource) encoding() string { return encXLSX }

func (s *xlsxSource) close() error {
	var errs []error
	if s.part != nil {
		errs = append(errs, s.part.Close())
		s.part = nil
	}
	if s.archive != nil {
		errs = append(errs, s.archive.Close())
		s.archive = nil
	}
	return errors.Join(errs...)
}

// indexZip maps each member's name, lower-cased, to the member: part names
// in OOXML are case-insensitive, and some producers capitalise differently.
func indexZip(z *zip.Reader) map[string]*zip.File {
	files := make(map[string]*zip.File, len(z.File))
	for _, f := range z.File {
		name := strings.ToLower(strings.TrimPrefix(f.Name, "/"))
		if _, dup := files[name]; !dup {
			files[name] = f
		}
	}
	return files
}

// relationship is one entry of a .rels part.
type relationship struct{ typ, target string }

// locateParts finds the first worksheet and the shared strings part
// (lower-cased paths; sstPath may name no member).
func locateParts(files map[string]*zip.File) (sheetPath, sstPath string, err error) {
	ids, err := readSheetIDs(files["xl/workbook.xml"])
	if err != nil {
		return "", "", err
	}
	rels, err := readRels(files["xl/_rels/workbook.xml.rels"])
	if err != nil {
		return "", "", err
	}
	sstPath = "xl/sharedstrings.xml"
	for _, r := range rels {
		if strings.HasSuffix(r.typ, "/sharedStrings") {
			sstPath = resolvePart("xl", r.target)
		}
	}
	for _, id := range ids {
		if r, ok := rels[id]; ok && strings.HasSuffix(r.typ, "/worksheet") {
			// Some generators write targets relative to the root, not to xl/.
			for _, p := range []string{resolvePart("xl", r.target), resolvePart("", r.target)} {
				if files[p] != nil {
					return p, sstPath, nil
				}
			}
		}
	}
	if files["xl/worksheets/sheet1.xml"] != nil { // relationships missing or damaged
		return "xl/worksheets/sheet1.xml", sstPath, nil
	}
	return "", "", fmt.Errorf("%w: the workbook has no worksheet", ErrFormat)
}

// resolvePart turns a relationship target into a lower-cased member name:
// relative to dir, or absolute from the package root when it starts with "/".
func resolvePart(dir, target string) string {
	var p string
	if strings.HasPrefix(target, "/") {
		p = path.Clean(target[1:])
	} else {
		p = path.Join(dir, target)
	}
	return strings.ToLower(p)
}

// maxSmallPart caps what is read of workbook.xml and the .rels part, which
// are a few KiB in any real file.
const maxSmallPart = 16 << 20

// readSheetIDs returns the relationship ids (r:id) of the sheets in
// workbook.xml, in tab order.
func readSheetIDs(f *zip.File) ([]string, error) {
	var ids []string
	err := walkXML(f, func(se xml.StartElement) bool {
		if se.Name.Local == "sheet" {
			for _, a := range se.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" { // r:id, whatever the prefix
					ids = append(ids, a.Value)
				}
			}
		}
		return true
	})
	return ids, err
}

// readRels reads a .rels part into a map by relationship id; a missing part
// gives an empty map. External targets (hyperlinks) are skipped.
func readRels(f *zip.File) (map[string]relationship, error) {
	rels := map[string]relationship{}
	if f == nil {
		return rels, nil
	}
	err := walkXML(f, func(se xml.StartElement) bool {
		if se.Name.Local != "Relationship" {
			return true
		}
		var id, external string
		var r relationship
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "Id":
				id = a.Value
			case "Type":
				r.typ = a.Value
			case "Target":
				r.target = a.Value
			case "TargetMode":
				external = a.Value
			}
		}
		if external != "External" {
			rels[id] = r
		}
		return true
	})
	return rels, err
}

// walkXML calls visit for each start element of a small part until visit
// returns false or the part ends.
func walkXML(f *zip.File, visit func(xml.StartElement) bool) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: opening %s: %w", ErrFormat, f.Name, err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, maxSmallPart))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrFormat, f.Name, err)
		}
		if se, ok := tok.(xml.StartElement); ok && !visit(se) {
			return nil
		}
	}
}
