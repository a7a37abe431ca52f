package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/position"
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
//   - A failed run (exit 2, 3, 4, 130) whose command line was accepted still
//     prints one JSON document, with the members of jsonFailure: Run writes
//     it (writeFailureJSON), so a command only returns its error. A command
//     that has a report worth keeping returns withJSONReport(err, report);
//     one that streams its report ends it with failureMembers itself; in
//     JSON lines (sql run) the failure is the last line.

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

// jsonLinesAnnotation marks a command whose --json output is JSON lines:
// its failure is one more line.
const jsonLinesAnnotation = "xdm-json-lines"

// jsonFailure is what every failed run prints with --json
// (docs/exit-codes.md): scripts test status and read the message and the
// place without knowing the command.
type jsonFailure struct {
	Status   string `json:"status"` // always "error"
	Error    string `json:"error"`  // the message xdm prints on stderr, without "xdm: "
	File     string `json:"file,omitempty"`
	Line     int64  `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Offset   *int64 `json:"offset,omitempty"` // bytes from the start of the file, where known
	ExitCode int    `json:"exit_code"`
}

// newJSONFailure words err as reportError does: passwords and connection
// strings of cmd's settings removed, the advice in cmd's flags added.
func newJSONFailure(cmd *cobra.Command, err error) jsonFailure {
	f := jsonFailure{Status: "error", ExitCode: exitCode(err)}
	var ee *ExitError
	switch {
	case errors.Is(err, context.Canceled):
		f.Error = "interrupted; nothing was replaced"
	case errors.As(err, &ee) && ee.Err == nil:
		// The command reported what it found (in JSON or on stderr) and
		// exits with a code.
		f.Error = fmt.Sprintf("%s ended with exit code %d; what it found is reported before this", commandPath(cmd), ee.Code)
	default:
		f.Error = redactError(cmd, err.Error()) + advice(cmd, err)
	}
	var pe *position.Error
	if errors.As(err, &pe) {
		f.File, f.Line, f.Column = pe.File, pe.Line, pe.Column
		if pe.Offset >= 0 {
			off := pe.Offset
			f.Offset = &off
		}
	}
	return f
}

func commandPath(cmd *cobra.Command) string {
	if cmd == nil {
		return "xdm"
	}
	return cmd.CommandPath()
}

// jsonReportError carries the report a failed command had made: with
// --json, Run prints it with the failure's members in front (status,
// error, the place).
type jsonReportError struct {
	err    error
	report any
	w      io.Writer // where the report goes; nil: standard output
}

func (e *jsonReportError) Error() string { return e.err.Error() }
func (e *jsonReportError) Unwrap() error { return e.err }

// withJSONReport returns err carrying report, to be printed to w (nil:
// standard output) when the run fails with --json. A nil err stays nil.
func withJSONReport(err error, report any, w io.Writer) error {
	if err == nil {
		return nil
	}
	return &jsonReportError{err: err, report: report, w: w}
}

// wantsJSON says whether cmd was asked for JSON output.
func wantsJSON(cmd *cobra.Command) bool {
	if cmd == nil {
		return false
	}
	f := cmd.Flags().Lookup("json")
	return f != nil && f.Value.String() == "true"
}

// writeFailureJSON prints the JSON document of a failed run, unless the
// command line itself was wrong (it is not known that --json was meant),
// standard output is lost, or the command already ended its JSON with the
// failure (a streamed report).
func writeFailureJSON(cmd *cobra.Command, stdout *checkedWriter, err error) {
	var cle commandLineError
	if !wantsJSON(cmd) || exitCode(err) <= ExitDifferent || errors.As(err, &cle) || stdout.err != nil {
		return
	}
	f := newJSONFailure(cmd, err)
	var re *jsonReportError
	switch {
	case errors.As(err, &re):
		w := re.w
		if w == nil {
			w = stdout
		}
		if merged, merr := failureWithReport(f, re.report); merr == nil {
			_, _ = w.Write(merged)
			return
		}
		_ = writeJSON(w, f)
	case stdout.n > 0:
		// The command ended its streamed report, or its last JSON line,
		// with the failure's members.
	case cmd.Annotations[jsonLinesAnnotation] != "":
		_ = newJSONLines(stdout).Encode(f)
	default:
		_ = writeJSON(stdout, f)
	}
}

// failureWithReport returns one indented JSON object: f's members, then
// report's members that f does not have (or leaves empty).
func failureWithReport(f jsonFailure, report any) ([]byte, error) {
	head, err := marshalJSON(f, "", "")
	if err != nil {
		return nil, err
	}
	var have map[string]json.RawMessage
	if err := json.Unmarshal(head, &have); err != nil {
		return nil, err
	}
	body, err := marshalJSON(report, "", "")
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("the report is not a JSON object")
	}
	out := bytes.NewBuffer(bytes.TrimSuffix(head, []byte("}")))
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		key, _ := t.(string)
		if _, dup := have[key]; dup || isFailureMember(key) {
			continue
		}
		k, _ := marshalJSON(key, "", "")
		fmt.Fprintf(out, ",%s:%s", k, v)
	}
	out.WriteString("}")
	var indented bytes.Buffer
	if err := json.Indent(&indented, out.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	indented.WriteByte('\n')
	return indented.Bytes(), nil
}

// isFailureMember: a report's own status and error give way to the
// failure's, even when the failure leaves one out.
func isFailureMember(key string) bool {
	return key == "status" || key == "error"
}
