package transform

import "bytes"

// SplitLines is a SplitFunc for line-oriented input whose lines end in '\n'
// (LF or CRLF): each chunk ends after the last line terminator in the data,
// so no line is cut. A line longer than the buffer makes the buffer grow. It
// carries no state.
func SplitLines(data []byte, atEOF bool) (int, struct{}, error) {
	if atEOF {
		return len(data), struct{}{}, nil
	}
	if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
		return i + 1, struct{}{}, nil
	}
	return 0, struct{}{}, nil
}
