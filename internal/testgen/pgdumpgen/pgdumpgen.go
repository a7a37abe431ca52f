// Package pgdumpgen writes synthetic plain-format pg_dump files of an XPR
// mrsdb for the tests and benchmarks of the UCC dump rewrite: the schemas
// and tables, the two UCC tables' rows with mixed-case invitation addresses,
// a bulk table that passes through, and the unique constraints after the
// data, in the order and form pg_dump writes them, so that psql restores
// the dump (internal/corpus checks it does).
package pgdumpgen

import (
	"bufio"
	"fmt"
	"io"
)

// Options control the dump. The zero value writes about 1 MiB with 1000
// template rows and 1000 invitees.
type Options struct {
	// Size is the approximate size in bytes; the bulk table fills the dump up
	// to it. 0 means 1 MiB.
	Size int64
	// Templates and Invitees are the rows of symvcc.symconferenceusertempl
	// and symconferencing.invitees; 0 means 1000, negative none.
	Templates, Invitees int
}

// Stats describe what was written.
type Stats struct {
	Bytes int64
	// Changes is the number of target rows whose address has capitals.
	Changes int
}

// Write writes the dump to w.
func Write(w io.Writer, opts Options) (Stats, error) {
	if opts.Size == 0 {
		opts.Size = 1 << 20
	}
	opts.Templates = rows(opts.Templates)
	opts.Invitees = rows(opts.Invitees)
	g := &gen{w: bufio.NewWriterSize(w, 1<<20)}
	g.p("--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n" +
		"SET standard_conforming_strings = on;\nSELECT pg_catalog.set_config('search_path', '', false);\n\n")
	g.p("%s", schema)
	g.p("--\n-- Data for Name: symconferenceusertempl; Type: TABLE DATA; Schema: symvcc; Owner: postgres\n--\n\n")
	g.p("COPY symvcc.symconferenceusertempl (id, name, invitationaddress) FROM stdin;\n")
	for i := 1; i <= opts.Templates; i++ {
		g.p("%d\tTemplate %d\t%s\n", i, i, g.address(i))
	}
	g.p("\\.\n\n\n--\n-- Data for Name: invitees; Type: TABLE DATA; Schema: symconferencing; Owner: postgres\n--\n\n" +
		"COPY symconferencing.invitees (id, conferenceid, invitationaddress, displayname) FROM stdin;\n")
	for i := 1; i <= opts.Invitees; i++ {
		g.p("%d\t%d\t%s\tInvitee Nr. %d\n", i, i/50, g.address(i), i)
	}
	g.p("\\.\n\n\n--\n-- Data for Name: messages; Type: TABLE DATA; Schema: public; Owner: postgres\n--\n\n" +
		"COPY public.messages (id, sender, subject, body) FROM stdin;\n")
	for i := 1; g.n < opts.Size-1000 && g.err == nil; i++ {
		g.p("%d\tSender%d@Example.COM\tRe: Konferenz am Montag Nr. %d\tGuten Tag,\\n\\ndie Einladung für die Konferenz %d folgt. Mit freundlichen Grüßen\\nÄrger Straße\n", i, i%977, i, i)
	}
	g.p("\\.\n\n\nALTER TABLE ONLY symconferencing.invitees\n    ADD CONSTRAINT invitees_pkey PRIMARY KEY (id);\n\n" +
		"ALTER TABLE ONLY symconferencing.invitees\n    ADD CONSTRAINT invitees_conf_addr UNIQUE (conferenceid, invitationaddress);\n\n" +
		"CREATE UNIQUE INDEX templ_addr ON symvcc.symconferenceusertempl USING btree (invitationaddress);\n\n" +
		"--\n-- PostgreSQL database dump complete\n--\n\n")
	if g.err == nil {
		g.err = g.w.Flush()
	}
	return Stats{Bytes: g.n, Changes: g.changes}, g.err
}

// schema creates the schemas and tables the data goes into, as pg_dump
// writes them before the data, so that psql restores the dump.
const schema = `--
-- Name: symconferencing; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA symconferencing;


--
-- Name: symvcc; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA symvcc;


SET default_tablespace = '';

--
-- Name: messages; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.messages (
    id integer NOT NULL,
    sender character varying(255),
    subject text,
    body text
);


--
-- Name: invitees; Type: TABLE; Schema: symconferencing; Owner: postgres
--

CREATE TABLE symconferencing.invitees (
    id integer NOT NULL,
    conferenceid integer NOT NULL,
    invitationaddress character varying(255) NOT NULL,
    displayname text
);


--
-- Name: symconferenceusertempl; Type: TABLE; Schema: symvcc; Owner: postgres
--

CREATE TABLE symvcc.symconferenceusertempl (
    id integer NOT NULL,
    name character varying(100) NOT NULL,
    invitationaddress character varying(255)
);


`

func rows(n int) int {
	switch {
	case n == 0:
		return 1000
	case n < 0:
		return 0
	}
	return n
}

type gen struct {
	w       *bufio.Writer
	n       int64
	changes int
	err     error
}

func (g *gen) p(format string, a ...any) {
	if g.err != nil {
		return
	}
	n, err := fmt.Fprintf(g.w, format, a...)
	g.n += int64(n)
	g.err = err
}

// address is a unique address; nine in ten have capitals, some non-ASCII.
func (g *gen) address(i int) string {
	switch i % 10 {
	case 0:
		return fmt.Sprintf("user%d@example.com", i)
	case 1:
		g.changes++
		return fmt.Sprintf("Jörg.Ärger%d@Beispiel.DE", i)
	default:
		g.changes++
		return fmt.Sprintf("User%d@Example.COM", i)
	}
}
