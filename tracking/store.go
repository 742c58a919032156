package tracking

import "context"

// Store is everything tracking needs from a database. Each method is one
// transaction: callers never see a partial write.
type Store interface {
	LocationStore
	ContentsStore
	PatientStore
	VolumeStore
	MovementStore
	ScanStore
	UserStore
	TokenStore
	DeviceTokenStore
	AuditStore
	SessionStore
	PrintStore
	RequestStore
	AppointmentStore
	StatusStore
	TemporaryStore
	RetentionStore
	RetentionReviewStore
	SensitiveStore
	RequestReportStore
	ExceptionStore
	OverdueStore
	SweepStore
	ImportStore
	MergeStore
	FeedStore
	LocationChangeStore
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// Empty reports whether the database holds no locations or patients yet.
	Empty(ctx context.Context) (bool, error)
}
