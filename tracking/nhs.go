package tracking

import "strings"

// NormalizeNHSNumber strips the spaces and hyphens people and scanners put
// into NHS numbers and checks what is left: ten digits whose last is the
// Modulus 11 check digit of the first nine.
func NormalizeNHSNumber(s string) (string, error) {
	digits := stripNHSSeparators(s)
	if len(digits) != 10 {
		return "", FieldError("nhs_number", "NHS number must have 10 digits (got %d characters).", len(digits))
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return "", FieldError("nhs_number", "NHS number must contain only digits.")
		}
	}
	if !ValidNHSNumber(digits) {
		return "", FieldError("nhs_number", "NHS number %s fails its check digit: please check it was copied correctly.", FormatNHSNumber(digits))
	}
	return digits, nil
}

// stripNHSSeparators drops the spaces and hyphens of a written NHS number.
// It allocates only when there is something to drop: bulk imports call it
// for every patient.
func stripNHSSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// ValidNHSNumber reports whether s is exactly ten digits with a correct
// Modulus 11 check digit. Check value 10 is never issued, so never valid.
func ValidNHSNumber(s string) bool {
	if len(s) != 10 {
		return false
	}
	sum := 0
	for i := 0; i < 10; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		if i < 9 {
			sum += int(s[i]-'0') * (10 - i)
		}
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(s[9]-'0')
}

// FormatNHSNumber shows a stored NHS number as 3 3 4 ("943 476 5919"), the
// way it is printed on wristbands and letters. Anything else is returned as is.
func FormatNHSNumber(s string) string {
	if len(s) != 10 {
		return s
	}
	return s[:3] + " " + s[3:6] + " " + s[6:]
}
