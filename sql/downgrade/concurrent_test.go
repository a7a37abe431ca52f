package downgrade

import (
	"bytes"
	"sync"
	"testing"
)

// TestRewriteBatchConcurrent: RewriteBatch may be called from several
// goroutines at once (the generated lexer shares its DFA cache); run with
// -race to check.
func TestRewriteBatchConcurrent(t *testing.T) {
	batches := goldenBatches(t)
	want := make([][]byte, len(batches))
	for i, b := range batches {
		want[i], _ = RewriteBatch(b, Options{}, Position{})
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, b := range batches {
				if got, _ := RewriteBatch(b, Options{}, Position{}); !bytes.Equal(got, want[i]) {
					t.Errorf("batch %d differs when run concurrently", i)
				}
			}
		}()
	}
	wg.Wait()
}
