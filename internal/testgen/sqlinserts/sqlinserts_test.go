package sqlinserts

import (
	"bytes"
	"crypto/sha256"
	"io"
	"testing"

	"github.com/xdm-migrate/xdm/sql/batch"
)

func TestDeterministicAndSplittable(t *testing.T) {
	var a, b bytes.Buffer
	n, batches, err := Write(&a, 200_000, Options{Seed: 1})
	if err != nil || n != int64(a.Len()) || n < 200_000 {
		t.Fatalf("Write: %d bytes (buffer %d), %v", n, a.Len(), err)
	}
	Write(&b, 200_000, Options{Seed: 1})
	if sha256.Sum256(a.Bytes()) != sha256.Sum256(b.Bytes()) {
		t.Fatal("same seed, different scripts")
	}
	r := batch.NewReader(bytes.NewReader(a.Bytes()), batch.Options{})
	got := 0
	for {
		_, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got++
	}
	if got != batches {
		t.Errorf("the splitter finds %d batches, the generator wrote %d", got, batches)
	}
}
