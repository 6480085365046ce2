package tabular

// parseColumn returns the 1-based column of a cell reference such as "AB12"
// (28), or 0 if ref is not letters followed by digits or names a column past
// XFD. References in sheet XML are always A1-style, never R1C1.
func parseColumn(ref string) int {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20 // ASCII lower case; digits are unchanged
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a') + 1
		if col > maxExcelCols {
			return 0
		}
	}
	if i == 0 {
		return 0
	}
	for ; i < len(ref); i++ {
		if ref[i] < '0' || ref[i] > '9' {
			return 0
		}
	}
	return col
}

// appendColumnName appends the letters of 1-based column col: 1 → "A", 28 → "AB".
func appendColumnName(dst []byte, col int) []byte {
	var buf [16]byte // 14 letters cover any int
	i := len(buf)
	for col > 0 {
		col--
		i--
		buf[i] = byte('A' + col%26)
		col /= 26
	}
	return append(dst, buf[i:]...)
}
