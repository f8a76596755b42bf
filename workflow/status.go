package workflow

// DossierStatus is the derived status of a dossier (the contract's dossier
// `statut`).
type DossierStatus string

// The dossier statuses.
const (
	// DossierIncomplet: some required item has not been received.
	DossierIncomplet DossierStatus = "incomplet"
	// DossierTransmis: every required item is received or accepted and no
	// correction is pending; the staff have to review it.
	DossierTransmis DossierStatus = "transmis"
	// DossierACorriger: the staff asked for a correction that has no answer
	// yet.
	DossierACorriger DossierStatus = "a_corriger"
	// DossierValide: the staff validated the dossier.
	DossierValide DossierStatus = "valide"
)

// Label returns the French label of the status.
func (s DossierStatus) Label() string {
	switch s {
	case DossierIncomplet:
		return "Incomplet"
	case DossierTransmis:
		return "Transmis"
	case DossierACorriger:
		return "À corriger"
	case DossierValide:
		return "Validé"
	}
	return string(s)
}

// Status derives the dossier's status from its items, its corrections and
// its validated flag. A pending correction outranks a missing item, because
// the mandataire has been asked for something specific.
func (d Dossier) Status() DossierStatus {
	if d.Validated {
		return DossierValide
	}
	if len(d.OpenCorrections()) > 0 {
		return DossierACorriger
	}
	if len(d.Missing()) > 0 {
		return DossierIncomplet
	}
	return DossierTransmis
}
