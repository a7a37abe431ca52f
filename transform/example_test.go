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
	upper := func(_ context.Context, c transform.Chunk[struct{}], dst []byte) (transform.Result[struct{}], error) {
		return transform.Result[struct{}]{Out: append(dst, bytes.ToUpper(c.Data)...)}, nil
	}
	_, err := transform.Run(context.Background(), strings.NewReader(input), os.Stdout, transform.Options[struct{}, struct{}]{
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

// Hash files on three workers and print the results in the order the files
// were given, as the XPhone prompt conversion does with audio files.
func ExamplePipeline() {
	files := []string{"greeting1.wav", "name.wav", "greeting2.wav", "menu.wav"}
	err := transform.Pipeline[string, int]{
		Workers: 3,
		Produce: func(ctx context.Context, send func(string) error) error {
			for _, f := range files {
				if err := send(f); err != nil {
					return err
				}
			}
			return nil
		},
		Work: func(ctx context.Context, name string) (int, error) {
			return len(name), nil // the expensive part, in parallel
		},
		Consume: func(name string, n int) error {
			fmt.Println(name, n) // in order, on the calling goroutine
			return nil
		},
	}.Run(context.Background())
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// greeting1.wav 13
	// name.wav 8
	// greeting2.wav 13
	// menu.wav 8
}
