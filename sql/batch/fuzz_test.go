package batch

import (
	"bytes"
	"os"
	"testing"
)

// FuzzReader checks, for any input: no panic; in raw mode the items' Raw
// bytes put together are the input; and the items do not depend on how the
// underlying reader chunks the input (one byte, half reads, whole).
func FuzzReader(f *testing.F) {
	for _, file := range corpus(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("SELECT 1\r\nGO 2\r\n:setvar A \"x\"\r\n$(A)\r\nGO"))
	f.Add([]byte("/* /* */ GO\n*/\nGO\n[a]]\nGO\n]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, all := rawItems(t, bytes.NewReader(data)); !bytes.Equal(all, data) {
			t.Fatalf("raw items do not reproduce the input:\n got %q\nwant %q", all, data)
		}
		checkChunking(t, data)
	})
}
