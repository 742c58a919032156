package csvimport

// firstLines remembers the line each key of a file was first accepted on,
// so that a later line with the same key is refused, naming the first.
// Keeping keys unique within a file means a batch never holds the same
// record twice (PostgreSQL refuses an INSERT ... ON CONFLICT that touches
// a row twice), and importing the file again gives the same result. It
// costs memory for every key (BENCHMARKS.md has the figures); string keys
// are copied so that they do not hold their whole line.
type firstLines[K comparable] map[K]int
