package cli

import (
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// sqlcmdArgsAnnotation marks a command whose command line is read as sqlcmd
// reads its own (sqlcmdArgs).
const sqlcmdArgsAnnotation = "xdm_sqlcmd_args"

// sqlcmdArgs rewrites a command line for a command marked with
// sqlcmdArgsAnnotation into what its flags parse the way sqlcmd reads them:
//
//   - -v A=1 B=2 and -i a.sql b.sql: every word after -v or -i up to the
//     next flag is another variable or script;
//   - -r, -k, -X and -N take an optional value: -r alone is -r 0, -r 1 is
//     -r=1; -k alone is -k 1; -X alone is -X 0; -N alone is -N true, and
//     -N strict is -N=strict;
//   - -h N is the header count; -h without a number becomes --headers=
//     (an empty value), which the command refuses with a usage error
//     (headersFlagError); -help and /? ask for help;
//   - -q before the command's name is xdm's --quiet, after it sqlcmd's -q.
//
// Other command lines are returned as they are.
func sqlcmdArgs(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd.Annotations[sqlcmdArgsAnnotation] == "" {
		return args
	}
	path := strings.Fields(cmd.CommandPath())[1:]
	out := make([]string, 0, len(args)+4)
	i := 0
	for ; i < len(args) && len(path) > 0; i++ {
		a := args[i]
		switch {
		case a == path[0]:
			path = path[1:]
		case a == "-q":
			a = "--quiet"
		}
		out = append(out, a)
	}
	return append(out, sqlcmdFlags(args[i:])...)
}

// optionalValue are the flags whose value sqlcmd lets out: the value when it
// is left out, and whether a word is one of their values.
var optionalValue = map[string]struct {
	def   string
	value func(string) bool
}{
	"-r": {"0", func(s string) bool { return s == "0" || s == "1" }},
	"-k": {"1", func(s string) bool { return s == "1" || s == "2" }},
	"-X": {"0", func(s string) bool { return s == "1" }},
	"-N": {"true", func(s string) bool { return s != "" && !strings.HasPrefix(s, "-") }},
	"-L": {"", func(s string) bool { return s == "c" }},
	"-p": {"0", func(s string) bool { return s == "1" }},
}

func sqlcmdFlags(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := ""
		if i+1 < len(args) {
			next = args[i+1]
		}
		switch {
		case a == "--":
			return append(out, args[i:]...)
		case a == "-help" || a == "/?":
			out = append(out, "--help")
		case a == "-h":
			// sqlcmd's -h always takes a number. A word that is not one
			// goes to the flag, which refuses it; nothing (or another
			// flag) is an empty value, refused with a pointer to --help.
			_, err := strconv.Atoi(next)
			switch {
			case err == nil || (next != "" && !strings.HasPrefix(next, "-")):
				out = append(out, a, next)
				i++
			default:
				out = append(out, "--headers=")
			}
		case optionalValue[a].value != nil:
			o := optionalValue[a]
			if o.value(next) {
				out = append(out, a+"="+next)
				i++
			} else {
				out = append(out, a+"="+o.def)
			}
		case a == "-v" || a == "-i":
			out = append(out, a)
			if next != "" {
				out = append(out, next)
				i++
			}
			for i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				out = append(out, a, args[i+1])
				i++
			}
		default:
			out = append(out, a)
		}
	}
	return out
}
