package cli

import (
	"os"
	"testing"

	"github.com/xdm-migrate/xdm/internal/pgtest"
)

// TestMain stops the package's shared PostgreSQL cluster after the tests.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
