// Command xdm moves the data of unified-messaging servers (OpenScape Xpressions,
// XPhone) across upgrades. All logic lives in the library packages; this is only
// the entry point of the command-line shell in internal/cli.
package main

import (
	"os"

	"github.com/xdm-migrate/xdm/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
