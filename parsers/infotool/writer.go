package infotool

import "io"

// Writer writes a data export: the BOM of its encoding first, then raw bytes
// and records as given. Records are written as their Raw bytes, so a record
// read by a Reader comes out unchanged.
type Writer struct {
	w       io.Writer
	enc     Encoding
	n       int64
	started bool
}

// NewWriter returns a Writer of a file in encoding enc.
func NewWriter(w io.Writer, enc Encoding) *Writer {
	return &Writer{w: w, enc: enc}
}

// WriteRaw writes b as it is (the preamble, the trailer, a record built by
// hand), after the BOM if nothing was written yet.
func (w *Writer) WriteRaw(b []byte) error {
	if !w.started {
		w.started = true
		if err := w.write(w.enc.BOM()); err != nil {
			return err
		}
	}
	return w.write(b)
}

// Write writes rec.Raw.
func (w *Writer) Write(rec *Record) error { return w.WriteRaw(rec.Raw) }

// Written returns the number of bytes written so far.
func (w *Writer) Written() int64 { return w.n }

func (w *Writer) write(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	n, err := w.w.Write(b)
	w.n += int64(n)
	return err
}
