package tabular

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

var (
	sigZip      = []byte("PK\x03\x04")
	sigEmptyZip = []byte("PK\x05\x06")
	// sigOLE starts the compound files of Excel 97-2003 (.xls) and old WPS (.et).
	sigOLE = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Open opens a file by its content, not its name: a zip archive is taken as
// XLSX (and is ErrFormat if it holds no xl/workbook.xml: no CSV starts with a
// zip signature, so reading it as text would only give a less helpful error);
// anything else is CSV. A legacy .xls is refused with ErrFormat and a hint.
func Open(path string) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	sig := make([]byte, len(sigOLE))
	n, err := io.ReadFull(f, sig)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		_ = f.Close()
		return nil, fmt.Errorf("tabular: reading %s: %w", path, err)
	}
	sig = sig[:n]
	switch {
	case bytes.HasPrefix(sig, sigZip), bytes.HasPrefix(sig, sigEmptyZip):
		_ = f.Close()
		return OpenXLSX(path)
	case bytes.Equal(sig, sigOLE):
		_ = f.Close()
		return nil, fmt.Errorf("%w: it is a legacy Excel 97-2003 (.xls) file; save it as .xlsx or CSV UTF-8", ErrFormat)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("tabular: reading %s: %w", path, err)
	}
	return newCSVReader(f, f)
}
