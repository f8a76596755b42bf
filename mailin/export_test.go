package mailin

// Unexported functions the external tests (package mailin_test) exercise.
var (
	ScanImageFile = scanImageFile
	ScanPDFFile   = scanPDFFile
	// PutBackWith is PutBack with a chosen timeout and TLS configuration.
	PutBackWith = putBack
)
