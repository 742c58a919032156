package tracking

import "strings"

// maxNameLen is the longest user or token name.
const maxNameLen = 64

// ValidateName checks a new user or token name: 1 to 64 of the ASCII
// letters, digits, '.', '-' and '_', starting with a letter or digit.
// Users and tokens are named in the access log and on the admin page, a
// device token's name is its device's, and people type names to sign in,
// so a name must read as itself: no letter of another script that looks
// like a Latin one (Cyrillic а), no invisible character (zero-width
// space), nothing that turns text around (right-to-left override), and
// no leading '-' that a command line would take for a flag. Names made
// before this rule keep working: it is checked only when a name is made.
func ValidateName(name string) error {
	if name == "" || len(name) > maxNameLen {
		return FieldError("name", "A name must be 1 to %d characters.", maxNameLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case nameLetterOrDigit(c):
		case i > 0 && (c == '.' || c == '-' || c == '_'):
		case i == 0 && (c == '.' || c == '-' || c == '_'):
			return FieldError("name", "A name must start with a letter or a digit.")
		default:
			return FieldError("name", "A name may hold only the letters A to Z, digits, '.', '-' and '_': no spaces, accents or other characters.")
		}
	}
	return nil
}

func nameLetterOrDigit(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// NameKey is what user and token names are told apart by: users and
// tokens share one namespace, compared ignoring case, so "Jo", a user,
// and "jo", a token, cannot both exist, and neither can one person as
// "jo" and "JO". A sign-in's failures are counted under it too.
func NameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }
