// Package password hashes people's passwords (密码) with argon2id (RFC 9106), the memory-hard
// function of golang.org/x/crypto/argon2, and checks them in constant time.
//
// A hash is kept as a PHC string that carries its own parameters and salt:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt, base64>$<key, base64>
//
// so that the parameters can be raised later: Verify says when a stored hash was made with
// other parameters than Default, and the caller hashes the password again (at the next
// successful sign-in).
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen int // bytes
	KeyLen  uint32
}

// Default are the parameters new hashes are made with: OWASP's argon2id recommendation
// (19 MiB, 2 passes, 1 thread), a 16-byte random salt and a 32-byte key.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// MinLength and MaxLength bound a password, in characters and bytes.
const (
	MinLength = 8    // characters
	MaxLength = 1024 // bytes: longer is no safer and costs the hash more
)

// ErrMalformed is a stored hash that is not an argon2id PHC string.
var ErrMalformed = errors.New("password: malformed hash")

// Check returns why pw cannot be a password, or "" when it can.
func Check(pw string) string {
	switch {
	case !utf8.ValidString(pw):
		return "must be UTF-8 text"
	case utf8.RuneCountInString(pw) < MinLength:
		return fmt.Sprintf("must be at least %d characters", MinLength)
	case len(pw) > MaxLength:
		return fmt.Sprintf("must be at most %d bytes", MaxLength)
	}
	return ""
}

// Hash hashes pw with p and a fresh random salt and returns the PHC string.
func Hash(pw string, p Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// decode reads a PHC string: its parameters, salt and key.
func decode(encoded string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, ErrMalformed
	}
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || n != 3 ||
		p.Memory == 0 || p.Time == 0 || p.Threads == 0 || p.Memory > 4*1024*1024 || p.Time > 100 {
		return p, nil, nil, ErrMalformed
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, ErrMalformed
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, ErrMalformed
	}
	p.SaltLen, p.KeyLen = len(salt), uint32(len(key))
	return p, salt, key, nil
}

// Verify reports whether pw matches the stored hash encoded, comparing in constant time, and
// whether the hash should be made again with want (its parameters differ). A malformed hash is
// an error, never a match.
func Verify(encoded, pw string, want Params) (ok, rehash bool, err error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	return true, p != want, nil
}

// dummy is a hash of no one's password, checked when a name is unknown so that a wrong name
// takes as long as a wrong password.
var dummy = sync.OnceValue(func() string {
	h, _ := Hash("no such user, no such password", Default)
	return h
})

// Waste spends the time of one Verify with Default, for a sign-in whose user is unknown or has
// no password: how long the answer takes tells nothing about which names exist.
func Waste(pw string) { _, _, _ = Verify(dummy(), pw, Default) }
