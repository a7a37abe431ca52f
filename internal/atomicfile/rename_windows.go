package atomicfile

import (
	"errors"

	"golang.org/x/sys/windows"
)

// isTransientRename reports whether a rename was refused because another
// program has the file open for a moment: a sharing or lock violation, or
// the access denial Windows gives for a file being deleted or scanned.
func isTransientRename(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) ||
		errors.Is(err, windows.ERROR_LOCK_VIOLATION) ||
		errors.Is(err, windows.ERROR_ACCESS_DENIED)
}
