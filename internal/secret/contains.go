package secret

import (
	"net/url"
	"strings"
)

// Contains reports whether s holds any of the secrets as written or in the
// escaped forms a URL gives it (query, path, user info), so that a caller
// can decide to show none of s rather than mask parts of it.
func Contains(s string, secrets ...string) bool {
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		forms := []string{sec, url.QueryEscape(sec), url.PathEscape(sec),
			strings.TrimPrefix(url.UserPassword("", sec).String(), ":")}
		for _, f := range forms {
			if strings.Contains(s, f) {
				return true
			}
		}
	}
	return false
}
