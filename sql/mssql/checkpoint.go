package mssql

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Checkpoint records how far a run got: the last batch that completed and a
// SHA-256 of the script bytes read up to the end of it (files included with
// :r count where they were read). A run given it as RunOptions.Resume checks
// the hash and goes on with the next batch.
type Checkpoint struct {
	Files  []string  `json:"files"`
	Batch  int       `json:"batch"` // ordinal over all files, from 1
	File   string    `json:"file"`  // where that batch starts
	Line   int64     `json:"line"`
	SHA256 string    `json:"sha256"`
	Time   time.Time `json:"time"`
}

// WriteTo writes c as JSON.
func (c Checkpoint) WriteTo(w io.Writer) (int64, error) {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return 0, err
	}
	n, err := w.Write(append(b, '\n'))
	return int64(n), err
}

// ReadCheckpoint reads what Checkpoint.WriteTo wrote.
func ReadCheckpoint(r io.Reader) (Checkpoint, error) {
	var c Checkpoint
	if err := json.NewDecoder(r).Decode(&c); err != nil {
		return c, fmt.Errorf("checkpoint: %w", err)
	}
	if c.Batch < 1 || len(c.SHA256) != 64 {
		return c, fmt.Errorf("checkpoint: no batch number or hash")
	}
	return c, nil
}
