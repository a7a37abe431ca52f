package atomicfile

import (
	"os"
	"time"
)

// rename moves the finished temporary file into place; a variable so that
// tests can put in a rename that behaves like Windows.
var rename = os.Rename

// renameRetryWait is how long in all a rename refused because another
// program holds the file is retried: virus scanners and the search indexer
// open a new file for a moment after it is written.
var renameRetryWait = 3 * time.Second

// renameRetrying renames old to new, retrying while the refusal is one that
// passes (isTransientRename).
func renameRetrying(old, new string) error {
	deadline := time.Now().Add(renameRetryWait)
	wait := 10 * time.Millisecond
	for {
		err := rename(old, new)
		if err == nil || !isTransientRename(err) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(wait)
		wait = min(2*wait, 250*time.Millisecond)
	}
}
