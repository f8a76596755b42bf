package mailin

// Unexported functions the external tests (package mailin_test) exercise.
var (
	ScanImageFile = scanImageFile
	ScanPDFFile   = scanPDFFile
)
