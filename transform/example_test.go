package transform_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/xdm-migrate/xdm/transform"
)

// Upper-case every line of a stream with two workers; the output keeps the
// input's order and bytes (line endings included).
func ExampleRun() {
	input := "first line\nsecond line\nthird line, no final newline"
	upper := func(_ context.Context, c transform.Chunk, dst []byte) (transform.Result, error) {
		return transform.Result{Out: append(dst, bytes.ToUpper(c.Data)...)}, nil
	}
	err := transform.Run(context.Background(), strings.NewReader(input), os.Stdout, transform.Options{
		Workers:   2,
		ChunkSize: 16,
		Split:     transform.SplitLines,
		Process:   upper,
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// FIRST LINE
	// SECOND LINE
	// THIRD LINE, NO FINAL NEWLINE
}
