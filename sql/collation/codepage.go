package collation

import (
	"errors"
	"strconv"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// codePages maps a Windows collation designator to the code page of its
// char and varchar data, as COLLATIONPROPERTY(name, 'CodePage') returns it.
// Designators of Unicode-only collations map to 0.
var codePages = map[string]int{}

func init() {
	for cp, names := range map[int][]string{
		0: {"Assamese", "Bengali", "Divehi", "Hindi", "Indic_General", "Khmer", "Korean_Wansung_Unicode", "Lao",
			"Nepali", "Pashto", "Syriac", "Tibetan"},
		874:  {"Thai"},
		932:  {"Japanese", "Japanese_Bushu_Kakusu", "Japanese_Unicode", "Japanese_XJIS"},
		936:  {"Chinese_PRC", "Chinese_PRC_Stroke", "Chinese_Simplified_Pinyin", "Chinese_Simplified_Stroke_Order"},
		949:  {"Korean", "Korean_Wansung"},
		950:  {"Chinese_Hong_Kong_Stroke", "Chinese_Taiwan_Bopomofo", "Chinese_Taiwan_Stroke", "Chinese_Traditional_Bopomofo", "Chinese_Traditional_Pinyin", "Chinese_Traditional_Stroke_Count", "Chinese_Traditional_Stroke_Order"},
		1250: {"Albanian", "Bosnian_Latin", "Croatian", "Czech", "Hungarian", "Hungarian_Technical", "Polish", "Romanian", "Serbian_Latin", "Slovak", "Slovenian", "Turkmen"},
		1251: {"Azeri_Cyrillic", "Bashkir", "Bosnian_Cyrillic", "Cyrillic_General", "Kazakh", "Macedonian_FYROM", "Serbian_Cyrillic", "Tatar", "Ukrainian", "Uzbek_Cyrillic", "Yakut"},
		1252: {"Breton", "Corsican", "Danish_Greenlandic", "Danish_Norwegian", "Finnish_Swedish", "French", "Frisian", "German_PhoneBook", "Icelandic",
			"Latin1_General", "Mapudungan", "Modern_Spanish", "Mohawk", "Norwegian", "Romansh", "Sami_Norway", "Sami_Sweden_Finland", "Tamazight", "Traditional_Spanish",
			"Upper_Sorbian", "Welsh"},
		1253: {"Greek"},
		1254: {"Azeri_Latin", "Turkish", "Uzbek_Latin"},
		1255: {"Hebrew"},
		1256: {"Arabic", "Dari", "Persian", "Uighur", "Urdu"},
		1257: {"Estonian", "Latvian", "Lithuanian", "Lithuanian_Classic"},
		1258: {"Vietnamese"},
	} {
		for _, n := range names {
			codePages[strings.ToUpper(n)] = cp
		}
	}
}

// CodePage returns the Windows code page of char and varchar data under the
// collation name: 65001 for a UTF-8 collation, 0 for a Unicode-only one, -1
// when xdm does not know it.
func CodePage(name string) int {
	if strings.HasPrefix(strings.ToUpper(name), "SQL_") {
		return sqlCodePage(name)
	}
	s, ok := parse(name)
	if !ok {
		return -1
	}
	if s.has("UTF8") {
		return 65001
	}
	if cp, ok := codePages[strings.ToUpper(s.designator)]; ok {
		return cp
	}
	return -1
}

// sqlCodePage reads the CPnnn part of a SQL Server collation name
// (SQL_Latin1_General_CP1_CI_AS is code page 1252).
func sqlCodePage(name string) int {
	for _, p := range strings.Split(strings.ToUpper(name), "_") {
		n, ok := strings.CutPrefix(p, "CP")
		if !ok {
			continue
		}
		if n == "1" {
			return 1252
		}
		if cp, err := strconv.Atoi(n); err == nil {
			return cp
		}
	}
	return -1
}

// ErrUnknownCodePage is returned by Representable for a code page whose
// characters xdm does not know.
var ErrUnknownCodePage = errors.New("code page unknown to xdm")

var encodings = map[int]encoding.Encoding{
	437: charmap.CodePage437, 850: charmap.CodePage850, 874: charmap.Windows874,
	932: japanese.ShiftJIS, 936: simplifiedchinese.GBK, 949: korean.EUCKR, 950: traditionalchinese.Big5,
	1250: charmap.Windows1250, 1251: charmap.Windows1251, 1252: charmap.Windows1252, 1253: charmap.Windows1253,
	1254: charmap.Windows1254, 1255: charmap.Windows1255, 1256: charmap.Windows1256, 1257: charmap.Windows1257,
	1258: charmap.Windows1258,
}

// Representable reports whether every character of s exists in the code
// page, so that s survives being stored in a char or varchar column whose
// collation has that code page (SQL Server replaces the others by a similar
// letter or '?'). Every string fits code page 65001 (UTF-8); none but the
// empty string fits 0 (a Unicode-only collation has no char data). For a
// code page it does not know it returns ErrUnknownCodePage.
func Representable(codePage int, s string) (bool, error) {
	switch codePage {
	case 65001:
		return true, nil
	case 0:
		return s == "", nil
	}
	enc, ok := encodings[codePage]
	if !ok {
		return false, ErrUnknownCodePage
	}
	_, err := enc.NewEncoder().String(s)
	return err == nil, nil
}
