package report

import (
	_ "embed"
)

// The DejaVu fonts are embedded rather than read from the system because
// fpdf's core fonts are Latin-1 only (no "€", no U+202F) and a server may
// have no fonts installed. Licence: fonts/LICENSE (Bitstream Vera, free
// redistribution).
var (
	//go:embed fonts/DejaVuSans.ttf
	dejaVuSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	dejaVuSansBold []byte
	//go:embed fonts/DejaVuSansMono.ttf
	dejaVuSansMono []byte
)

// Font families registered in every PDF by newPDF.
const (
	fontSans = "DejaVuSans"
	fontMono = "DejaVuSansMono"
)
