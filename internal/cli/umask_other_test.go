//go:build !unix

package cli

import "io/fs"

// currentUmask: Windows has none.
func currentUmask() fs.FileMode { return 0 }
