package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// JSON output, the one way every command writes it. The rules, for the
// commands to come as for those there are:
//
//   - JSON goes to the command's standard output (app.IO.Out), messages and
//     progress to stderr: "xdm ... --json | jq" must always parse.
//   - A report (one JSON value at the end of a run) is written with
//     writeJSON: indented by two spaces, "<", ">" and "&" as they are, one
//     final newline.
//   - A stream of records (one JSON object per line, NDJSON) is written with
//     an encoder from newJSONLines; check the error of each Encode.
//   - A report too large to hold in memory streams its array element by
//     element (reg show --json); it still ends as one JSON value. Its
//     pieces, and the pieces of a line written straight from the input's
//     bytes (sql run's batches), are encoded with marshalJSON.
//   - A write that fails (a full disk, a closed pipe) fails the command with
//     exit 4; Run also checks every other write to standard output.
//   - Passwords never reach a JSON value: a DSN goes through
//     secret.RedactDSN, a driver's message through secret.Redact.

// writeJSON writes v as an indented JSON report to w.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return exitWith(ExitFailure, fmt.Errorf("writing the JSON report: %w", err))
	}
	return nil
}

// marshalJSON encodes v by the rules of writeJSON, indented with prefix and
// indent (both "" for one line), without a final newline: a piece of a
// streamed report.
func marshalJSON(v any, prefix, indent string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent(prefix, indent)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// newJSONLines returns an encoder that writes one JSON value per line.
func newJSONLines(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
