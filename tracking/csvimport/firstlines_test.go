package csvimport

import (
	"math/rand/v2"
	"testing"

	"github.com/casetrack/casetrack/tracking"
)

// Two different hospital numbers never pack alike, whatever their lengths.
func TestPackHospitalNumberIsExact(t *testing.T) {
	t.Parallel()
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-/"
	numbers := []string{"0", "00", "A", "A0", "0A", "/", "-", "9999999999", "99999999990", "0000000000", "00000000000",
		"ZZZZZZZZZZZZZZZZZZZZ", "ZZZZZZZZZZZZZZZZZZZ/", "ZZZZZZZZZZ", "ZZZZZZZZZZ0"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50_000 {
		b := make([]byte, 1+rng.IntN(20))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		numbers = append(numbers, string(b))
	}
	seen := map[hospitalKey]string{}
	for _, n := range numbers {
		if err := tracking.ValidateHospitalNumber(n); err != nil {
			t.Fatalf("%q is not a hospital number: %v", n, err)
		}
		k := packHospitalNumber(n)
		if other, ok := seen[k]; ok && other != n {
			t.Fatalf("%q and %q pack alike", n, other)
		}
		seen[k] = n
	}
}
