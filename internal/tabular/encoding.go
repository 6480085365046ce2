package tabular

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sniffSize is how much text the encoding is judged on.
const sniffSize = 64 << 10

// Encoding names, as Reader.Encoding reports them.
const (
	encUTF8    = "utf-8"
	encUTF8BOM = "utf-8-bom"
	encGBK     = "gbk"
	encXLSX    = "xlsx"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decodingReader turns CSV bytes in UTF-8 or GBK into UTF-8.
//
// The encoding is judged on the first 64 KiB, as the brief says, with one
// refinement: while all that has been seen is ASCII (a header such as
// "id,phone,amount" and numeric rows) both encodings fit, so the choice waits
// for the first non-ASCII byte and is made on the 64 KiB from there. Without
// that, a GBK file whose Chinese starts late would be read as UTF-8 and fail
// halfway through. Until then Encoding reports "utf-8".
type decodingReader struct {
	br   *bufio.Reader
	src  io.Reader // the decoded stream; nil while the encoding is undecided
	enc  string
	head []byte // the first bytes after any BOM, valid until the first Read
}

func newDecodingReader(r io.Reader) (*decodingReader, error) {
	d := &decodingReader{br: bufio.NewReaderSize(r, sniffSize), enc: encUTF8}
	head, atEOF, err := d.peekWindow()
	if err != nil {
		return nil, err
	}
	if len(head) == 0 {
		return nil, ErrEmpty
	}
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		_, _ = d.br.Discard(len(bomUTF8))
		d.enc, d.src = encUTF8BOM, d.br
		d.head, _, err = d.peekWindow()
		return d, err
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		// Excel's "Unicode Text" export: name it, so the user knows what to change.
		return nil, fmt.Errorf("%w: it is UTF-16 text; save it as CSV UTF-8", ErrEncoding)
	}
	d.head = head
	if err := d.decide(head, atEOF); err != nil {
		return nil, err
	}
	return d, nil
}

// peekWindow returns up to sniffSize buffered bytes without consuming them.
func (d *decodingReader) peekWindow() (window []byte, atEOF bool, err error) {
	window, err = d.br.Peek(sniffSize)
	switch err {
	case nil:
		return window, false, nil
	case io.EOF:
		return window, true, nil
	default:
		return nil, false, fmt.Errorf("tabular: reading CSV: %w", err)
	}
}

func (d *decodingReader) encoding() string { return d.enc }

func (d *decodingReader) Read(p []byte) (int, error) {
	if d.src != nil {
		return d.src.Read(p)
	}
	return d.readUndecided(p)
}

// readUndecided passes plain ASCII through, and decides the encoding on
// reaching the first byte that is not.
func (d *decodingReader) readUndecided(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if d.br.Buffered() == 0 {
		if _, err := d.br.Peek(1); err != nil {
			return 0, err
		}
	}
	buf, _ := d.br.Peek(d.br.Buffered())
	i := indexNotPlainASCII(buf)
	if i < 0 {
		i = len(buf)
	}
	if i > 0 {
		n := copy(p, buf[:i])
		_, _ = d.br.Discard(n)
		return n, nil
	}
	window, atEOF, err := d.peekWindow()
	if err != nil {
		return 0, err
	}
	if err := d.decide(window, atEOF); err != nil {
		return 0, err
	}
	return d.src.Read(p)
}

// decide judges window (the text from the current position on) and sets
// the decoder, or leaves it undecided if window is plain ASCII and more follows.
func (d *decodingReader) decide(window []byte, atEOF bool) error {
	if bytes.IndexByte(window, 0) >= 0 {
		// No text file has NUL bytes; binary files and UTF-16 text do.
		return fmt.Errorf("%w: it has NUL bytes (a binary file, or UTF-16 text)", ErrEncoding)
	}
	switch {
	case indexNotPlainASCII(window) < 0 && !atEOF:
		return nil
	case utf8.Valid(trimPartialUTF8(window, atEOF)):
		d.enc, d.src = encUTF8, d.br
	case validGB18030(window, atEOF):
		d.enc = encGBK
		d.src = transform.NewReader(d.br, simplifiedchinese.GB18030.NewDecoder())
	default:
		return ErrEncoding
	}
	return nil
}

// indexNotPlainASCII finds the first byte that is not ASCII or is NUL (the
// latter so that binary data after a long ASCII start is still caught).
func indexNotPlainASCII(b []byte) int {
	for i, c := range b {
		if c >= utf8.RuneSelf || c == 0 {
			return i
		}
	}
	return -1
}

// trimPartialUTF8 drops an incomplete character cut off by the end of the
// sniff window, unless the file really ends there.
func trimPartialUTF8(b []byte, atEOF bool) []byte {
	if atEOF {
		return b
	}
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < utf8.RuneSelf {
			return b
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

// validGB18030 reports whether b decodes as GB18030 without a replacement
// character (the decoder's only way of saying "invalid"). An incomplete
// sequence at the end counts as valid unless the file ends there.
func validGB18030(b []byte, atEOF bool) bool {
	dec := simplifiedchinese.GB18030.NewDecoder()
	dst := make([]byte, 4096)
	for {
		nDst, nSrc, err := dec.Transform(dst, b, atEOF)
		if bytes.ContainsRune(dst[:nDst], utf8.RuneError) {
			return false
		}
		b = b[nSrc:]
		switch err {
		case nil, transform.ErrShortSrc:
			return true
		case transform.ErrShortDst:
			if nSrc == 0 && nDst == 0 {
				return false // cannot happen with a 4 KiB dst; never loop forever
			}
		default:
			return false
		}
	}
}

// checkDecoded catches bytes that did not decode, in text past the sniff
// window: invalid UTF-8 in a UTF-8 file, or U+FFFD that the GB18030 decoder
// put in place of an invalid sequence.
func checkDecoded(enc string, cells []string) error {
	for i, c := range cells {
		var bad bool
		if enc == encGBK {
			bad = strings.ContainsRune(c, utf8.RuneError)
		} else {
			bad = !utf8.ValidString(c)
		}
		if bad {
			return fmt.Errorf("cell %d is not valid %s text: %w", i+1, enc, ErrEncoding)
		}
	}
	return nil
}
