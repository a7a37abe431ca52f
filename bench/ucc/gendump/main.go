// Command gendump writes a synthetic plain-format pg_dump of an XPR mrsdb to
// stdout for the ucc benchmarks: a bulk table that passes through, the two
// UCC tables with mixed-case invitation addresses, and their unique
// constraints after the data, as pg_dump orders them.
//
//	go run ./bench/ucc/gendump -size 1024 -invitees 1000000 > dump.sql
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
)

func main() {
	sizeMB := flag.Int64("size", 1024, "approximate size of the dump in MiB")
	invitees := flag.Int("invitees", 1000000, "rows of symconferencing.invitees")
	templates := flag.Int("templates", 100000, "rows of symvcc.symconferenceusertempl")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	written := int64(0)
	p := func(format string, a ...any) {
		n, err := fmt.Fprintf(w, format, a...)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gendump:", err)
			os.Exit(1)
		}
		written += int64(n)
	}
	p("--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n" +
		"SET standard_conforming_strings = on;\nSELECT pg_catalog.set_config('search_path', '', false);\n\n")
	p("COPY symvcc.symconferenceusertempl (id, name, invitationaddress) FROM stdin;\n")
	for i := 1; i <= *templates; i++ {
		p("%d\tTemplate %d\t%s\n", i, i, address(i))
	}
	p("\\.\n\n\nCOPY symconferencing.invitees (id, conferenceid, invitationaddress, displayname) FROM stdin;\n")
	for i := 1; i <= *invitees; i++ {
		p("%d\t%d\t%s\tInvitee Nr. %d\n", i, i/50, address(i), i)
	}
	p("\\.\n\n\nCOPY public.messages (id, sender, subject, body) FROM stdin;\n")
	target := *sizeMB << 20
	for i := 1; written < target-1000; i++ {
		p("%d\tSender%d@Example.COM\tRe: Konferenz am Montag Nr. %d\tGuten Tag,\\n\\ndie Einladung für die Konferenz %d folgt. Mit freundlichen Grüßen\\nÄrger Straße\n", i, i%977, i, i)
	}
	p("\\.\n\n\nALTER TABLE ONLY symconferencing.invitees\n    ADD CONSTRAINT invitees_pkey PRIMARY KEY (id);\n\n" +
		"ALTER TABLE ONLY symconferencing.invitees\n    ADD CONSTRAINT invitees_conf_addr UNIQUE (conferenceid, invitationaddress);\n\n" +
		"CREATE UNIQUE INDEX templ_addr ON symvcc.symconferenceusertempl USING btree (invitationaddress);\n\n" +
		"--\n-- PostgreSQL database dump complete\n--\n\n")
}

// address is a unique address; nine in ten have capitals, some non-ASCII.
func address(i int) string {
	switch i % 10 {
	case 0:
		return fmt.Sprintf("user%d@example.com", i)
	case 1:
		return fmt.Sprintf("Jörg.Ärger%d@Beispiel.DE", i)
	default:
		return fmt.Sprintf("User%d@Example.COM", i)
	}
}
