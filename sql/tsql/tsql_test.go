package tsql

import (
	"fmt"
	"strings"
	"testing"
)

// render shows the non-space tokens as Kind:text.
func render(src string) string {
	var parts []string
	for _, t := range Lex([]byte(src)) {
		if t.Kind == Space {
			continue
		}
		kw := ""
		if t.Keyword {
			kw = "!"
		}
		parts = append(parts, fmt.Sprintf("%v%s:%s", t.Kind, kw, t.Text([]byte(src))))
	}
	return strings.Join(parts, " ")
}

func TestLexKinds(t *testing.T) {
	cases := []struct{ in, want string }{
		{"create Or ALTER proc", "Word!:create Word!:Or Word!:ALTER Word!:proc"},
		{"SELECT STRING_AGG(x, ',')", "Word:SELECT Word:STRING_AGG Punct:( Word:x Punct:, String:',' Punct:)"},
		{"N'it''s' 'a", "String:N'it''s' String:'a"},
		{"[a]]b] \"q\"\"x\" [open", "Bracketed:[a]]b] Quoted:\"q\"\"x\" Bracketed:[open"},
		{"-- TRIM(x)\r\nx", "LineComment:-- TRIM(x) Word:x"},
		{"/* a /* nested */ still */ y", "BlockComment:/* a /* nested */ still */ Word:y"},
		{"/* unterminated", "BlockComment:/* unterminated"},
		{"@p @@ROWCOUNT #t ##g $(Var)", "Variable:@p Variable:@@ROWCOUNT TempName:#t TempName:##g SqlcmdVar:$(Var)"},
		{"0x1F 12.5 1E3 .5 $4.50", "Binary:0x1F Number:12.5 Number:1E3 Number:.5 Number:$4.50"},
		{"a.b::c <>=;", "Word:a Punct:. Word:b Punct::: Word:c Operator:<> Punct:= Punct:;"},
		{"Straße ä", "Word:Straße Word:ä"},
		{"x\x00y", "Word:x Other:\x00 Word:y"},
		{"ORDER ORx", "Word:ORDER Word:ORx"},
	}
	for _, c := range cases {
		if got := render(c.in); got != c.want {
			t.Errorf("Lex(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestLexOffsetsAndPositions(t *testing.T) {
	// cp1252 bytes (invalid UTF-8) and multi-byte UTF-8 must not shift offsets.
	src := []byte("SELECT 'caf\xe9'\r\n  , N'größe' /* é */\nFROM [t\xe9]")
	toks := Lex(src)
	end := 0
	for _, tk := range toks {
		if tk.Start != end {
			t.Fatalf("gap before %v at %d (want %d)", tk, tk.Start, end)
		}
		end = tk.End
	}
	if end != len(src) {
		t.Fatalf("tokens end at %d of %d", end, len(src))
	}
	last := toks[len(toks)-1]
	if string(last.Text(src)) != "[t\xe9]" || last.Line != 3 || last.Column != 6 {
		t.Errorf("last token %q at %d:%d, want [t\\xe9] at 3:6", last.Text(src), last.Line, last.Column)
	}
	var comma Token
	for _, tk := range toks {
		if tk.IsPunct(src, ",") {
			comma = tk
		}
	}
	if comma.Line != 2 || comma.Column != 3 {
		t.Errorf("comma at %d:%d, want 2:3", comma.Line, comma.Column)
	}
}

func TestUnquote(t *testing.T) {
	for in, want := range map[string]string{"[a]]b]": "a]b", `"a""b"`: `a"b`, "dbo": "dbo", "[x": "x"} {
		if got := Unquote([]byte(in)); got != want {
			t.Errorf("Unquote(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzLex(f *testing.F) {
	for _, s := range []string{"CREATE OR ALTER PROCEDURE p AS SELECT 1", "/* /* */", "'a''", "[x]]", "\xff\xfe-\x00", "N'x' $(a) @b #c"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		end := 0
		for _, tk := range Lex(src) {
			if tk.Start != end || tk.End <= tk.Start {
				t.Fatalf("token %+v does not continue at %d", tk, end)
			}
			end = tk.End
		}
		if end != len(src) {
			t.Fatalf("tokens cover %d of %d bytes", end, len(src))
		}
	})
}
