package backup

import (
	"path"
	"strings"
)

// Category is what an XPR Smart Backup member is, by its name. The names
// come from the XPR V7 upgrade manual's description of the backup (TOV7
// option); where in the archive a member sits does not matter.
type Category string

const (
	// Infostor is fullexp.exp: the user, system and journal databases as
	// an infotool full export.
	Infostor Category = "INFOSTOR"
	// UCC is dump.sql: the UCC PostgreSQL database mrsdb (plain pg_dump).
	UCC Category = "UCC"
	// Registry is regexp_serverconf.reg: HKLM\Software\PP-COM\MRS.
	Registry Category = "REGISTRY"
	// Satellite is any other .reg member: one per satellite computer,
	// named after it.
	Satellite Category = "SATELLITE"
	// NCO is NcoMainTree.xml or VariableProposals.xml.
	NCO Category = "NCO"
	// AppHost is an XML member whose path names "application_host": the
	// UCC application host settings (the manual names the files by that
	// word only; this match is xdm's inference).
	AppHost Category = "UCC_APPLICATION_HOST"
	// Keystore is a .keystore member.
	Keystore Category = "KEYSTORE"
	// Settings is settings.ini.
	Settings Category = "SETTINGS"
	// Other is everything else: the message store, greetings and
	// networking folders of the FOLDERS, USERDATA and ISC options.
	Other Category = "OTHER"
)

// Member names, compared case-insensitively as Windows does.
const (
	fullExportName = "fullexp.exp"
	dumpName       = "dump.sql"
	serverRegName  = "regexp_serverconf.reg"
	settingsName   = "settings.ini"
	keystoreExt    = ".keystore"
)

// baseName returns the last element of a member path; Windows writers may
// use backslashes.
func baseName(name string) string {
	name = strings.TrimRight(strings.ReplaceAll(name, `\`, "/"), "/")
	return path.Base(name)
}

// categorize returns the category of a regular member named name.
func categorize(name string) Category {
	base := strings.ToLower(baseName(name))
	switch {
	case base == fullExportName:
		return Infostor
	case base == dumpName:
		return UCC
	case base == serverRegName:
		return Registry
	case strings.HasSuffix(base, ".reg"):
		return Satellite
	case base == "ncomaintree.xml", base == "variableproposals.xml":
		return NCO
	case strings.HasSuffix(base, ".xml") && strings.Contains(strings.ToLower(name), "application_host"):
		return AppHost
	case strings.HasSuffix(base, keystoreExt):
		return Keystore
	case base == settingsName:
		return Settings
	}
	return Other
}

// unique reports whether a backup holds at most one member of c: two would
// leave open which one the restore uses.
func (c Category) unique() bool { return c == Infostor || c == UCC || c == Registry }

// SatelliteName returns the satellite computer a SATELLITE member is for:
// its base name without ".reg".
func SatelliteName(member string) string {
	b := baseName(member)
	return b[:len(b)-len(".reg")]
}
