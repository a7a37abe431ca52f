//go:build !unix

package atomicfile

import (
	"io/fs"
	"os"
)

// newFileMode: Windows has no umask; the mode only says whether the file is
// read-only.
func newFileMode() fs.FileMode { return 0o666 &^ fs.FileMode(umask()) }

// newDirMode is the mode of a new output folder: 0777 less the umask, as
// mkdir would give it.
func newDirMode() fs.FileMode { return 0o777 &^ fs.FileMode(umask()) }

type owner struct{}

func ownerOf(fs.FileInfo) *owner { return nil }

func (o *owner) apply(*os.File) {}

// umask is 0 where there is none.
func umask() int { return 0 }
