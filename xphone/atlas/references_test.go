package atlas_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/xdm-migrate/xdm/xphone/atlas"
)

// atlasDoc is an atlas.xml whose XPDATA connection string is cs, written
// between quote characters q.
func atlasDoc(cs string, q byte) string {
	return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<atlas>\r\n  <databases>\r\n" +
		"    <database name=\"XPDATA\" useLogin=\"Windows\" connectionString=" + string(q) + cs + string(q) + " />\r\n" +
		"    <database name=\"XPSTATS\" connectionString=\"Data Source=(local)\\XPANALYTICS;Initial Catalog=XPSTATS;Integrated Security=True\" />\r\n" +
		"  </databases>\r\n</atlas>\r\n"
}

// encodings are the ways the test files are written: UTF-8, and UTF-16LE
// with its byte order mark as Windows tools write it.
var encodings = map[string]func(string) []byte{
	"utf-8": func(s string) []byte { return []byte(s) },
	"utf-16le": func(s string) []byte {
		b, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(strings.Replace(s, `encoding="utf-8"`, `encoding="utf-16"`, 1)))
		return b
	},
}

// TestEditKeepsReferences: a connection string that changes keeps every
// character reference and entity reference outside the changed setting as
// written (&#10;, &#9;, &#x20;, &quot;, &apos;, &amp;, &lt;, &gt;, a literal
// line break), in both quote styles and in UTF-8 and UTF-16LE files. Only
// the bytes of the changed value differ.
func TestEditKeepsReferences(t *testing.T) {
	cases := []struct {
		name     string
		cs       string // as written in a '"'-quoted attribute; ' quoted: &quot; and ' swapped as needed
		edit     atlas.Edit
		from, to string // the only raw text that changes
	}{
		{
			name: "instance",
			cs: `Data Source=&#32;(local)\XPCONNECT&#59;&#10;Initial Catalog=XP&#x20;DATA;&#9;Application Name=&quot;XPhone &amp; Co&quot;;` +
				`Workstation ID=&apos;a&lt;b&gt;c&apos;;` + "\r\n\t" + `Current Language=&#x44;eutsch`,
			edit: atlas.Edit{Instances: []atlas.Rename{{From: `(local)\XPCONNECT`, To: `(local)\XPCONNECT2019`}}},
			from: `(local)\XPCONNECT&#59;`, to: `(local)\XPCONNECT2019&#59;`,
		},
		{
			name: "server and windows login",
			cs:   `Server=&#x9;OLD&#10;;Database=XPDATA;User ID=sa;Password=&quot;a&amp;b;c&quot;;Application Name=&apos;x&#13;y&apos;`,
			edit: atlas.Edit{Server: `SQL01\XPHONE`, WindowsLogin: true, Databases: []string{"XPDATA"}},
			from: `&#x9;OLD&#10;;Database=XPDATA;User ID=sa;Password=&quot;a&amp;b;c&quot;;Application Name=&apos;x&#13;y&apos;`,
			to:   `&#x9;SQL01\XPHONE&#10;;Database=XPDATA;Application Name=&apos;x&#13;y&apos;;Integrated Security=True`,
		},
	}
	for _, c := range cases {
		for _, q := range []byte{'"', '\''} {
			cs, from, to := c.cs, c.from, c.to
			if q == '\'' {
				// In a '-quoted attribute " may stand as itself; &apos; must stay.
				cs = strings.ReplaceAll(cs, "&quot;", `"`)
				from, to = strings.ReplaceAll(from, "&quot;", `"`), strings.ReplaceAll(to, "&quot;", `"`)
			}
			doc := atlasDoc(cs, q)
			want := strings.Replace(doc, string(q)+strings.Split(cs, from)[0]+from, string(q)+strings.Split(cs, from)[0]+to, 1)
			if want == doc || !strings.Contains(doc, from) {
				t.Fatalf("%s: the test's from %q is not in the file", c.name, from)
			}
			for enc, encode := range encodings {
				t.Run(c.name+"/"+string(q)+"/"+enc, func(t *testing.T) {
					f, err := atlas.Parse(encode(doc), "atlas.xml")
					if err != nil {
						t.Fatal(err)
					}
					before := f.Databases()[0].ConnectionString
					changes, err := f.Apply(c.edit)
					if err != nil {
						t.Fatal(err)
					}
					if len(changes) == 0 {
						t.Fatal("nothing changed")
					}
					if got := f.Bytes(); !bytes.Equal(got, encode(want)) {
						t.Fatalf("the edit changed more than the setting:\n got %s\nwant %s", f.Bytes(), encode(want))
					}
					// The settings the edit does not touch read as before.
					after := f.Databases()[0].ConnectionString
					for _, p := range before.Pairs {
						if strings.EqualFold(p.Key, "Server") || strings.EqualFold(p.Key, "Data Source") || strings.EqualFold(p.Key, "User ID") || strings.EqualFold(p.Key, "Password") {
							continue
						}
						if v, ok := getPair(after, p.Key); !ok || v != p.Value {
							t.Errorf("%s was %q, reads %q after the edit", p.Key, p.Value, v)
						}
					}
				})
			}
		}
	}
}

func getPair(cs atlas.ConnectionString, key string) (string, bool) {
	for _, p := range cs.Pairs {
		if strings.EqualFold(p.Key, key) {
			return p.Value, true
		}
	}
	return "", false
}

// TestEditEscapesNewValue: a new value is written with the references the
// attribute needs (W3C XML 1.0, AttValue): &amp;, &lt;, the quote character
// of the attribute, and tab, line feed and carriage return as character
// references (written as they are, a reader would read them as spaces).
// Go's encoding/xml reads the result back to the value asked for.
func TestEditEscapesNewValue(t *testing.T) {
	server := "SRV&1<2>\tA\nB\rC"
	for _, c := range []struct {
		q    byte
		want string
	}{
		{'"', `Data Source=SRV&amp;1&lt;2>&#9;A&#10;B&#13;C;Initial Catalog=XPDATA`},
		{'\'', `Data Source=SRV&amp;1&lt;2>&#9;A&#10;B&#13;C;Initial Catalog=XPDATA`},
	} {
		for enc, encode := range encodings {
			doc := atlasDoc(`Data Source=OLD;Initial Catalog=XPDATA`, c.q)
			f, err := atlas.Parse(encode(doc), "atlas.xml")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Apply(atlas.Edit{Server: server, Databases: []string{"XPDATA"}}); err != nil {
				t.Fatal(err)
			}
			want := strings.Replace(doc, `Data Source=OLD;Initial Catalog=XPDATA`, c.want, 1)
			if !bytes.Equal(f.Bytes(), encode(want)) {
				t.Errorf("%c %s:\n got %s\nwant %s", c.q, enc, f.Bytes(), encode(want))
			}
			if got := f.Databases()[0].ConnectionString.DataSource(); got != server {
				t.Errorf("%c %s: reads back %q", c.q, enc, got)
			}
			if got := goXMLAttr(t, []byte(want), "connectionString"); got != "Data Source="+server+";Initial Catalog=XPDATA" {
				t.Errorf("%c %s: encoding/xml reads %q", c.q, enc, got)
			}
		}
	}
	// A quote in the new value: the connection string quotes it, the
	// attribute escapes the quote character it is delimited with.
	for q, want := range map[byte]string{'"': `Data Source=&quot;it's&quot;`, '\'': `Data Source="it&apos;s"`} {
		f, err := atlas.Parse([]byte(atlasDoc(`Data Source=OLD`, q)), "atlas.xml")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Apply(atlas.Edit{Server: `it's`, Databases: []string{"XPDATA"}}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(f.Bytes(), []byte(string(q)+want+string(q))) {
			t.Errorf("%c: %s", q, f.Bytes())
		}
	}
	// A character XML cannot hold is refused, nothing changed.
	f, err := atlas.Parse([]byte(atlasDoc(`Data Source=OLD`, '"')), "atlas.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Apply(atlas.Edit{Server: "A\x01B"}); !errors.Is(err, atlas.ErrCharacter) {
		t.Fatalf("control character: %v", err)
	}
	if !bytes.Equal(f.Bytes(), []byte(atlasDoc(`Data Source=OLD`, '"'))) {
		t.Fatal("a refused edit changed the file")
	}
}

// goXMLAttr reads attribute name of the first element that has it with
// Go's encoding/xml.
func goXMLAttr(t *testing.T, doc []byte, name string) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("encoding/xml: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == name {
					return a.Value
				}
			}
		}
	}
}
