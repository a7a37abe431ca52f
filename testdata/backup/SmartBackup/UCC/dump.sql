--
-- PostgreSQL database dump
--

\restrict xdmSample

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: symconferencing; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA symconferencing;


ALTER SCHEMA symconferencing OWNER TO postgres;

--
-- Name: symvcc; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA symvcc;


ALTER SCHEMA symvcc OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: conferences; Type: TABLE; Schema: symconferencing; Owner: postgres
--

CREATE TABLE symconferencing.conferences (
    id integer NOT NULL,
    subject text NOT NULL,
    starttime timestamp without time zone NOT NULL,
    durationminutes integer DEFAULT 60 NOT NULL,
    organizer character varying(255) NOT NULL
);


ALTER TABLE symconferencing.conferences OWNER TO postgres;

--
-- Name: conferences_id_seq; Type: SEQUENCE; Schema: symconferencing; Owner: postgres
--

CREATE SEQUENCE symconferencing.conferences_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE symconferencing.conferences_id_seq OWNER TO postgres;

--
-- Name: conferences_id_seq; Type: SEQUENCE OWNED BY; Schema: symconferencing; Owner: postgres
--

ALTER SEQUENCE symconferencing.conferences_id_seq OWNED BY symconferencing.conferences.id;


--
-- Name: invitees; Type: TABLE; Schema: symconferencing; Owner: postgres
--

CREATE TABLE symconferencing.invitees (
    id integer NOT NULL,
    conferenceid integer NOT NULL,
    invitationaddress character varying(255) NOT NULL,
    displayname text,
    role smallint DEFAULT 0 NOT NULL
);


ALTER TABLE symconferencing.invitees OWNER TO postgres;

--
-- Name: invitees_id_seq; Type: SEQUENCE; Schema: symconferencing; Owner: postgres
--

CREATE SEQUENCE symconferencing.invitees_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE symconferencing.invitees_id_seq OWNER TO postgres;

--
-- Name: invitees_id_seq; Type: SEQUENCE OWNED BY; Schema: symconferencing; Owner: postgres
--

ALTER SEQUENCE symconferencing.invitees_id_seq OWNED BY symconferencing.invitees.id;


--
-- Name: symconferenceusertempl; Type: TABLE; Schema: symvcc; Owner: postgres
--

CREATE TABLE symvcc.symconferenceusertempl (
    id integer NOT NULL,
    name character varying(100) NOT NULL,
    invitationaddress character varying(255),
    language character(2) DEFAULT 'de'::bpchar NOT NULL,
    created timestamp without time zone NOT NULL
);


ALTER TABLE symvcc.symconferenceusertempl OWNER TO postgres;

--
-- Name: symconferenceusertempl_id_seq; Type: SEQUENCE; Schema: symvcc; Owner: postgres
--

CREATE SEQUENCE symvcc.symconferenceusertempl_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE symvcc.symconferenceusertempl_id_seq OWNER TO postgres;

--
-- Name: symconferenceusertempl_id_seq; Type: SEQUENCE OWNED BY; Schema: symvcc; Owner: postgres
--

ALTER SEQUENCE symvcc.symconferenceusertempl_id_seq OWNED BY symvcc.symconferenceusertempl.id;


--
-- Name: conferences id; Type: DEFAULT; Schema: symconferencing; Owner: postgres
--

ALTER TABLE ONLY symconferencing.conferences ALTER COLUMN id SET DEFAULT nextval('symconferencing.conferences_id_seq'::regclass);


--
-- Name: invitees id; Type: DEFAULT; Schema: symconferencing; Owner: postgres
--

ALTER TABLE ONLY symconferencing.invitees ALTER COLUMN id SET DEFAULT nextval('symconferencing.invitees_id_seq'::regclass);


--
-- Name: symconferenceusertempl id; Type: DEFAULT; Schema: symvcc; Owner: postgres
--

ALTER TABLE ONLY symvcc.symconferenceusertempl ALTER COLUMN id SET DEFAULT nextval('symvcc.symconferenceusertempl_id_seq'::regclass);


--
-- Data for Name: conferences; Type: TABLE DATA; Schema: symconferencing; Owner: postgres
--

COPY symconferencing.conferences (id, subject, starttime, durationminutes, organizer) FROM stdin;
1	Jour fixe Vertrieb KW 10	2024-03-04 09:00:00	30	Anna.Schmidt@Firma.DE
2	Technik-Runde März	2024-03-05 14:00:00	60	Peter.Weber@Firma.DE
3	Quartalsabschluss Q1	2024-03-28 10:00:00	90	Buchhaltung@Firma.de
4	Partner Review	2024-04-02 16:00:00	45	Jürgen.Müller@Firma.DE
\.


--
-- Data for Name: invitees; Type: TABLE DATA; Schema: symconferencing; Owner: postgres
--

COPY symconferencing.invitees (id, conferenceid, invitationaddress, displayname, role) FROM stdin;
1	1	Anna.Schmidt@Firma.DE	Anna Schmidt	1
2	1	Thomas.Becker@Firma.DE	Thomas Becker	0
3	1	sabine.koch@firma.de	Sabine Koch	0
4	1	Vertrieb@Firma.DE	Vertrieb	0
5	2	Peter.Weber@Firma.DE	Peter Weber	1
6	2	technik@firma.de	Technik	0
7	2	Özlem.Yılmaz@Firma.DE	Özlem Yılmaz	0
8	2	m.hoffmann@extern-it.de	Markus Hoffmann (extern)	0
9	3	Buchhaltung@Firma.de	Buchhaltung	1
10	3	Anna.Schmidt@Firma.DE	Anna Schmidt	0
11	3	STEUERBERATER@KANZLEI-FRANK.DE	Kanzlei Frank	0
12	4	Jürgen.Müller@Firma.DE	Jürgen Müller	1
13	4	John.Smith@Partner.Example.COM	John Smith	0
14	4	board@partner.example.com	Board	0
15	4	Équipe.Paris@Firma.FR	Équipe Paris	0
\.


--
-- Data for Name: symconferenceusertempl; Type: TABLE DATA; Schema: symvcc; Owner: postgres
--

COPY symvcc.symconferenceusertempl (id, name, invitationaddress, language, created) FROM stdin;
1	Jour fixe Vertrieb	Vertrieb@Firma.DE	de	2019-03-04 09:12:00
2	Technik-Runde	technik@firma.de	de	2019-03-04 09:15:31
3	Monatsabschluss	Buchhaltung@Firma.de	de	2019-05-21 14:02:10
4	Support Escalation	Support.Team@Firma.DE	en	2019-06-02 08:00:00
5	Geschäftsleitung	Jürgen.Müller@Firma.DE	de	2020-01-13 10:45:00
6	Projekt Straße	STRASSENBAU@stadtwerke-ulm.de	de	2020-02-17 16:30:00
7	Schulung	\N	de	2020-04-01 12:00:00
8	Board Call	board@partner.example.com	en	2020-09-30 07:59:59
9	Réunion Paris	Équipe.Paris@Firma.FR	fr	2021-02-08 11:11:11
10	Helpdesk	helpdesk@firma.de	de	2021-07-19 13:37:00
11	Bereitschaft	Bereitschaft@Firma.DE	de	2022-11-07 06:30:00
12	Ausbildung	\N	de	2023-01-09 08:00:00
\.


--
-- Name: conferences_id_seq; Type: SEQUENCE SET; Schema: symconferencing; Owner: postgres
--

SELECT pg_catalog.setval('symconferencing.conferences_id_seq', 4, true);


--
-- Name: invitees_id_seq; Type: SEQUENCE SET; Schema: symconferencing; Owner: postgres
--

SELECT pg_catalog.setval('symconferencing.invitees_id_seq', 15, true);


--
-- Name: symconferenceusertempl_id_seq; Type: SEQUENCE SET; Schema: symvcc; Owner: postgres
--

SELECT pg_catalog.setval('symvcc.symconferenceusertempl_id_seq', 12, true);


--
-- Name: conferences conferences_pkey; Type: CONSTRAINT; Schema: symconferencing; Owner: postgres
--

ALTER TABLE ONLY symconferencing.conferences
    ADD CONSTRAINT conferences_pkey PRIMARY KEY (id);


--
-- Name: invitees invitees_conf_addr; Type: CONSTRAINT; Schema: symconferencing; Owner: postgres
--

ALTER TABLE ONLY symconferencing.invitees
    ADD CONSTRAINT invitees_conf_addr UNIQUE (conferenceid, invitationaddress);


--
-- Name: invitees invitees_pkey; Type: CONSTRAINT; Schema: symconferencing; Owner: postgres
--

ALTER TABLE ONLY symconferencing.invitees
    ADD CONSTRAINT invitees_pkey PRIMARY KEY (id);


--
-- Name: symconferenceusertempl symconferenceusertempl_pkey; Type: CONSTRAINT; Schema: symvcc; Owner: postgres
--

ALTER TABLE ONLY symvcc.symconferenceusertempl
    ADD CONSTRAINT symconferenceusertempl_pkey PRIMARY KEY (id);


--
-- Name: invitees_conferenceid; Type: INDEX; Schema: symconferencing; Owner: postgres
--

CREATE INDEX invitees_conferenceid ON symconferencing.invitees USING btree (conferenceid);


--
-- Name: symconferenceusertempl_invitationaddress; Type: INDEX; Schema: symvcc; Owner: postgres
--

CREATE UNIQUE INDEX symconferenceusertempl_invitationaddress ON symvcc.symconferenceusertempl USING btree (invitationaddress);


--
-- Name: invitees invitees_conferenceid_fkey; Type: FK CONSTRAINT; Schema: symconferencing; Owner: postgres
--

ALTER TABLE ONLY symconferencing.invitees
    ADD CONSTRAINT invitees_conferenceid_fkey FOREIGN KEY (conferenceid) REFERENCES symconferencing.conferences(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict xdmSample

