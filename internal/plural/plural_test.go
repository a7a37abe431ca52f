package plural

import (
	"fmt"
	"testing"
)

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n    int64
		noun string
		want string
	}{
		{1, "problem", "1 problem"},
		{0, "problem", "0 problems"},
		{2, "problem", "2 problems"},
		{1, "batch", "1 batch"},
		{3, "batch", "3 batches"},
		{2, "entry", "2 entries"},
		{2, "key", "2 keys"},
		{2, "phone number", "2 phone numbers"},
		{2, "byte", "2 bytes"},
		{1, "byte", "1 byte"},
		{2, "status", "2 statuses"},
		{2, "index", "2 indexes"},
		{-1, "row", "-1 rows"},
	} {
		if got := Count(c.n, c.noun); got != c.want {
			t.Errorf("Count(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
	if got := Count(uint8(1), "time"); got != "1 time" {
		t.Errorf("Count(uint8(1), time) = %q", got)
	}
}

func ExampleCount() {
	fmt.Println(Count(1, "problem") + ", " + Count(2, "batch"))
	// Output: 1 problem, 2 batches
}
