package corpus

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testtool"
)

// TestXMLSamples: every .xml sample is well-formed XML 1.0 for libxml2's
// xmllint, which reads the encoding from the byte order mark and the XML
// declaration as the W3C recommendation says.
func TestXMLSamples(t *testing.T) {
	xmllint := testtool.LookPath(t, "xmllint", "apt-get install libxml2-utils, or scripts/setup.sh")
	files := samples(t, 5, hasExt(".xml"))
	checkAll(t, files, func(t *testing.T, rel string) error {
		var stderr bytes.Buffer
		cmd := exec.Command(xmllint, "--noout", "--nonet", abs(t, rel))
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("xmllint: %v", err)
			}
			return errors.New(strings.TrimSpace(stderr.String()))
		}
		if stderr.Len() > 0 { // a warning, such as an unsupported encoding
			return errors.New(strings.TrimSpace(stderr.String()))
		}
		return nil
	})
}
