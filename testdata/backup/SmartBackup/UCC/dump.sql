\restrict Kx7fGh2
--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TABLE symvcc.symconferenceusertempl (
    id integer NOT NULL,
    name text,
    invitationaddress character varying(255)
);

CREATE TABLE public.other (
    id integer,
    invitationaddress text
);

--
-- Data for Name: symconferenceusertempl; Type: TABLE DATA; Schema: symvcc; Owner: postgres
--

COPY symvcc.symconferenceusertempl (id, name, invitationaddress) FROM stdin;
1	Alice	Alice@Example.COM
2	Bob	bob@example.com
3	\N	\N
4	Tab\tName	TAB\tIN@X.DE
5	NL	LINE\nBREAK@X.DE
6	BS	BACK\\SLASH@X.DE
7	Oct	\101\102C@X.DE
8	Hex	\x41bc@X.DE
9	DÄ	ÄRGER@BEISPIEL.DE
10	S	STRAßE@X.DE
11	G	ΣΟΦΙΑΣ@X.GR
12	U	unchanged\x61@x.de
13	E	
\.


COPY public.other (id, invitationaddress) FROM stdin;
1	KEEP@X.DE
\.


COPY symconferencing.invitees (id, conferenceid, invitationaddress) FROM stdin;
1	10	Carol@X.COM
2	\N	DAVE@X.COM
\.


ALTER TABLE ONLY symvcc.symconferenceusertempl
    ADD CONSTRAINT symconferenceusertempl_pkey PRIMARY KEY (id);

--
-- PostgreSQL database dump complete
--

\unrestrict Kx7fGh2
