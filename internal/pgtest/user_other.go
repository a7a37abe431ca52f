//go:build !unix

package pgtest

import "os/exec"

// osUser is the account the server runs as; outside Unix always the current one.
type osUser struct{}

func serverUser() (*osUser, error) { return nil, nil }
func (*osUser) chown(string) error { return nil }
func (*osUser) apply(*exec.Cmd)    {}
