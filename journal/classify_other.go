//go:build !amd64 || purego

package journal

// classifyBlock fills bb for the 64 bytes of b.
func classifyBlock(b *[64]byte, bb *blockBits) { classifyBlockGo(b, bb) }
