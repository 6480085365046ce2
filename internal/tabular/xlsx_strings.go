package tabular

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

// loadSharedStrings reads xl/sharedStrings.xml into memory: each <si> is one
// string, the text of its <t> elements joined (rich text runs), leaving out
// phonetic guides (<rPh>), which Excel does not show in the cell.
func loadSharedStrings(f *zip.File) ([]string, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: opening %s: %w", ErrFormat, f.Name, err)
	}
	defer rc.Close()
	p := sstParser{dec: xml.NewDecoder(rc)}
	if err := p.run(); err != nil {
		return nil, fmt.Errorf("%w: %s, string %d: %w", ErrFormat, f.Name, len(p.sst), err)
	}
	return p.sst, nil
}

type sstParser struct {
	dec      *xml.Decoder
	sst      []string
	text     []byte
	inText   bool
	phonetic int // depth inside <rPh>
	total    int // bytes of text held
}

func (p *sstParser) run() error {
	for {
		tok, err := p.dec.Token() // not RawToken: it checks that tags match
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			p.start(t)
		case xml.EndElement:
			if err := p.end(t); err != nil {
				return err
			}
		case xml.CharData:
			if p.inText {
				p.text = append(p.text, t...)
			}
		}
	}
}

func (p *sstParser) start(t xml.StartElement) {
	switch t.Name.Local {
	case "sst":
		p.sst = make([]string, 0, declaredCount(t))
	case "si":
		p.text = p.text[:0]
	case "t":
		p.inText = p.phonetic == 0
	case "rPh":
		p.phonetic++
	}
}

func (p *sstParser) end(t xml.EndElement) error {
	switch t.Name.Local {
	case "t":
		p.inText = false
	case "rPh":
		p.phonetic--
	case "si":
		s := unescapeOOXML(string(p.text))
		p.total += len(s)
		if p.total > maxSharedStringBytes {
			return fmt.Errorf("shared strings exceed %d MiB", maxSharedStringBytes>>20)
		}
		p.sst = append(p.sst, s)
	}
	return nil
}

// declaredCount is the uniqueCount of <sst>, to size the table up front;
// capped, since the file may lie.
func declaredCount(t xml.StartElement) int {
	for _, a := range t.Attr {
		if a.Name.Local == "uniqueCount" {
			if n, err := strconv.Atoi(a.Value); err == nil && n > 0 {
				return min(n, 1<<20)
			}
		}
	}
	return 0
}
