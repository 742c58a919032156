package db

import "context"

// LocationGeneration is the number the database moves with every write to
// locations (a trigger keeps it), for the instances' location caches.
func (db *DB) LocationGeneration(ctx context.Context) (int64, error) {
	var g int64
	err := db.gorm.Statement.ConnPool.QueryRowContext(ctx, "SELECT generation FROM location_generation WHERE id = 1").Scan(&g)
	return g, translate(err, "location generation")
}
