//go:build !purego

package journal

// classifyBlock fills bb for the 64 bytes of b, sixteen at a time with
// SSE2 (every amd64 processor has it); see classify_amd64.s.
//
//go:noescape
func classifyBlock(b *[64]byte, bb *blockBits)
