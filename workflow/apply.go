package workflow

import (
	"slices"
	"strings"
)

// Apply applies one event to a dossier. It returns the new state and the
// effects the app must carry out once that state is saved, or a
// *TransitionError when the event is not allowed (the state is then
// returned unchanged). The caller's dossier is never modified, so a refused
// event leaves nothing half done. Describe gives the history entry to store
// with the new state.
func Apply(state Dossier, ev Event) (Dossier, []Effect, error) {
	ev = byValue(ev)
	if ev == nil {
		return state, nil, malformed("", "aucun événement")
	}
	if s := ev.stamp(); s.At.IsZero() || strings.TrimSpace(s.By) == "" {
		return state, nil, malformed(ev.Kind(), "date et auteur obligatoires")
	}
	d := state.clone()
	before := d.Status()
	var effects []Effect
	var err error
	switch e := ev.(type) {
	case DocumentReceived:
		effects, err = d.receiveDocument(e)
	case StepCompleted:
		effects, err = d.completeStep(e)
	case ItemAccepted:
		err = d.acceptItem(e)
	case CorrectionRequested:
		effects, err = d.requestCorrection(e)
	case CorrectionAnswered:
		effects, err = d.answerCorrection(e)
	case ProofWaived:
		err = d.waiveProof(e)
	case DossierValidated:
		effects, err = d.validate(e)
	case DossierReopened:
		effects, err = d.reopen(e)
	}
	if err != nil {
		return state, nil, err
	}
	d.settle()
	if byMandataire(ev) && before != DossierTransmis && d.Status() == DossierTransmis {
		effects = append(effects, NotifyStaff{Kind: NoticeDossierTransmitted})
	}
	return d, effects, nil
}

// byMandataire tells the events through which the mandataire (or mail-in on
// their behalf) completes a dossier; only those warrant telling the staff
// that a dossier is waiting for review.
func byMandataire(ev Event) bool {
	switch ev.(type) {
	case DocumentReceived, StepCompleted, CorrectionAnswered:
		return true
	}
	return false
}

// target finds the item an event is about, refusing unknown items and items
// that do not apply to this coop.
func (d *Dossier) target(kind EventKind, key ItemKey) (*Item, error) {
	if !key.Valid() {
		return nil, refuse(kind, string(d.Status()), "l'élément « %s » n'existe pas", key)
	}
	i := d.index(key)
	if i < 0 {
		return nil, refuse(kind, string(d.Status()), "« %s » n'est pas demandé à cette coopérative", key.Label())
	}
	return &d.Items[i], nil
}

// reviewable finds an item the staff may act on: it must be required.
func (d *Dossier) reviewable(kind EventKind, key ItemKey) (*Item, error) {
	it, err := d.target(kind, key)
	if err != nil {
		return nil, err
	}
	if !d.Required(key) {
		return nil, refuse(kind, string(it.Status), "« %s » n'est pas demandé : le tableau des subventions est vide", key.Label())
	}
	return it, nil
}

func (d *Dossier) refuseValidated(kind EventKind) error {
	if d.Validated {
		return refuse(kind, string(DossierValide), "le dossier est validé ; l'AD doit d'abord le rouvrir")
	}
	return nil
}

// receiveDocument attaches a document. Documents are never refused for the
// dossier's state, because the file is already stored: on a validated
// dossier it is attached for the record and the staff are told; on an
// accepted item it sends the item back to review.
func (d *Dossier) receiveDocument(e DocumentReceived) ([]Effect, error) {
	k := e.Kind()
	if !e.Source.Valid() {
		return nil, malformed(k, "source « %s » inconnue", e.Source)
	}
	if e.DocumentID <= 0 {
		return nil, malformed(k, "identifiant de document manquant")
	}
	it, err := d.target(k, e.Item)
	if err != nil {
		return nil, err
	}
	if e.Item.IsStep() {
		return nil, refuse(k, string(it.Status), "« %s » se fait dans l'application, pas par l'envoi d'un document", e.Item.Label())
	}
	if d.hasDocument(e.DocumentID) {
		return nil, refuse(k, string(it.Status), "le document n°%d est déjà rattaché à ce dossier", e.DocumentID)
	}
	if e.SubsidyRef != "" {
		if e.Item != Justificatifs {
			return nil, refuse(k, string(it.Status), "seuls les justificatifs se rapportent à une subvention")
		}
		if _, ok := d.subsidy(e.SubsidyRef); d.subsidiesKnown() && !ok {
			return nil, refuse(k, string(it.Status), "la subvention « %s » ne figure pas au tableau des subventions", e.SubsidyRef)
		}
	}
	it.Documents = append(it.Documents, Document{
		ID: e.DocumentID, Source: e.Source, ReceivedAt: e.At, SubsidyRef: e.SubsidyRef,
	})
	if d.Validated {
		return []Effect{NotifyStaff{Kind: NoticeLateDocument, Item: e.Item, DocumentID: e.DocumentID}}, nil
	}
	var effects []Effect
	if it.Status == ItemACorriger {
		id := d.resolveOpen(e.Item, e.At, "", e.DocumentID)
		effects = append(effects, NotifyStaff{Kind: NoticeCorrectionAnswered, Item: e.Item, CorrectionID: id, DocumentID: e.DocumentID})
	}
	it.Status = ItemRecu // settle sends justificatifs back to missing if proofs still lack
	return effects, nil
}

// completeStep records a step done in the app. Doing a step again is
// allowed (a CRA submitted twice, subsidies validated again): the item goes
// back to review.
func (d *Dossier) completeStep(e StepCompleted) ([]Effect, error) {
	k := e.Kind()
	it, err := d.target(k, e.Item)
	if err != nil {
		return nil, err
	}
	if !e.Item.IsStep() {
		return nil, refuse(k, string(it.Status), "« %s » s'obtient par l'envoi d'un document", e.Item.Label())
	}
	if err := d.refuseValidated(k); err != nil {
		return nil, err
	}
	if e.Item != Subventions && len(e.Subsidies) > 0 {
		return nil, malformed(k, "des subventions accompagnent l'étape « %s »", e.Item)
	}
	if e.Item == Subventions {
		seen := map[string]bool{}
		for _, s := range e.Subsidies {
			if s.Ref == "" || seen[s.Ref] {
				return nil, malformed(k, "référence de subvention vide ou en double (« %s »)", s.Ref)
			}
			seen[s.Ref] = true
		}
		d.Subsidies = slices.Clone(e.Subsidies)
	}
	var effects []Effect
	if it.Status == ItemACorriger {
		id := d.resolveOpen(e.Item, e.At, "", 0)
		effects = append(effects, NotifyStaff{Kind: NoticeCorrectionAnswered, Item: e.Item, CorrectionID: id})
	}
	it.Status = ItemRecu
	return effects, nil
}

func (d *Dossier) acceptItem(e ItemAccepted) error {
	k := e.Kind()
	if err := d.refuseValidated(k); err != nil {
		return err
	}
	it, err := d.reviewable(k, e.Item)
	if err != nil {
		return err
	}
	switch it.Status {
	case ItemManquant:
		return refuse(k, string(it.Status), "« %s » n'a pas encore été reçu", e.Item.Label())
	case ItemAccepte:
		return refuse(k, string(it.Status), "« %s » est déjà accepté", e.Item.Label())
	case ItemACorriger:
		return refuse(k, string(it.Status), "une correction de « %s » attend la réponse de la coopérative", e.Item.Label())
	}
	it.Status = ItemAccepte
	return nil
}

func (d *Dossier) requestCorrection(e CorrectionRequested) ([]Effect, error) {
	k := e.Kind()
	if err := d.refuseValidated(k); err != nil {
		return nil, err
	}
	it, err := d.reviewable(k, e.Item)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(e.Reason)
	if reason == "" {
		return nil, refuse(k, string(it.Status), "le motif de la correction est obligatoire")
	}
	switch it.Status {
	case ItemManquant:
		return nil, refuse(k, string(it.Status), "« %s » n'a pas encore été reçu, il n'y a rien à corriger", e.Item.Label())
	case ItemACorriger:
		return nil, refuse(k, string(it.Status), "une correction de « %s » attend déjà la réponse de la coopérative", e.Item.Label())
	}
	id := d.openCorrection(e.Item, reason, e.Stamp)
	it.Status = ItemACorriger
	effects := reopening(e.Item, reason)
	if e.Item == Cloture {
		d.bookReopened()
	}
	return append(effects, NotifyMandataire{Kind: NoticeCorrectionRequested, Item: e.Item, CorrectionID: id, Reason: reason}), nil
}

// answerCorrection takes a text answer. Step items are answered by doing
// the step again: the staff reopened it, and a text answer would leave the
// book or the form open while the item looks received.
func (d *Dossier) answerCorrection(e CorrectionAnswered) ([]Effect, error) {
	k := e.Kind()
	if err := d.refuseValidated(k); err != nil {
		return nil, err
	}
	i := slices.IndexFunc(d.Corrections, func(c Correction) bool { return c.ID == e.CorrectionID })
	if i < 0 {
		return nil, refuse(k, string(d.Status()), "la demande de correction n°%d n'existe pas", e.CorrectionID)
	}
	c := d.Corrections[i]
	it, err := d.target(k, c.Item)
	if err != nil {
		return nil, err
	}
	if !c.Open() {
		return nil, refuse(k, string(it.Status), "la demande de correction n°%d a déjà reçu une réponse", c.ID)
	}
	answer := strings.TrimSpace(e.Answer)
	if answer == "" {
		return nil, refuse(k, string(it.Status), "la réponse est vide")
	}
	if c.Item.IsStep() {
		return nil, refuse(k, string(it.Status), "pour « %s », répondez en refaisant l'étape dans l'application", c.Item.Label())
	}
	d.resolveOpen(c.Item, e.At, answer, 0)
	it.Status = ItemRecu // settle sends justificatifs back to missing if proofs still lack
	return []Effect{NotifyStaff{Kind: NoticeCorrectionAnswered, Item: c.Item, CorrectionID: c.ID}}, nil
}

// waiveProof stops expecting a proof for one subsidy. A subsidy that a
// document explicitly proves cannot be waived: the staff accept or correct
// that document instead.
func (d *Dossier) waiveProof(e ProofWaived) error {
	k := e.Kind()
	if err := d.refuseValidated(k); err != nil {
		return err
	}
	it, _ := d.Item(Justificatifs)
	from := string(it.Status)
	if !d.subsidiesKnown() {
		return refuse(k, from, "le tableau des subventions n'a pas encore été validé")
	}
	s, ok := d.subsidy(e.SubsidyRef)
	if !ok {
		return refuse(k, from, "la subvention « %s » ne figure pas au tableau des subventions", e.SubsidyRef)
	}
	if d.waived(s.Ref) {
		return refuse(k, from, "le justificatif de « %s » n'est déjà plus demandé", s.Label)
	}
	if d.explicitlyProved(s.Ref) {
		return refuse(k, from, "un justificatif de « %s » a déjà été reçu", s.Label)
	}
	d.Waivers = append(d.Waivers, Waiver{Ref: s.Ref, Reason: strings.TrimSpace(e.Reason), At: e.At, By: e.By})
	return nil
}

// validate accepts at once every received item and validates the dossier.
// Validation requires a transmitted dossier (nothing missing, no pending
// correction) but not that each item was accepted one by one, so that the
// staff can validate a batch of complete dossiers from the queue.
func (d *Dossier) validate(e DossierValidated) ([]Effect, error) {
	k := e.Kind()
	switch st := d.Status(); st {
	case DossierValide:
		return nil, refuse(k, string(st), "le dossier est déjà validé")
	case DossierIncomplet:
		return nil, refuse(k, string(st), "il manque encore : %s", labels(d.Missing()))
	case DossierACorriger:
		return nil, refuse(k, string(st), "des corrections attendent la réponse de la coopérative")
	}
	for i := range d.Items {
		if d.Items[i].Status == ItemRecu && d.Required(d.Items[i].Key) {
			d.Items[i].Status = ItemAccepte
		}
	}
	d.Validated = true
	return []Effect{LockCRF{}, NotifyMandataire{Kind: NoticeDossierValidated}}, nil
}

// reopen lifts the validation. The items named in the event get a
// correction with the reopening's reason, so that the mandataire sees what
// to redo; without items the dossier goes back to review as it is.
func (d *Dossier) reopen(e DossierReopened) ([]Effect, error) {
	k := e.Kind()
	if !d.Validated {
		return nil, refuse(k, string(d.Status()), "le dossier n'est pas validé")
	}
	reason := strings.TrimSpace(e.Reason)
	if reason == "" {
		return nil, refuse(k, string(DossierValide), "le motif de la réouverture est obligatoire")
	}
	for i, key := range e.Items {
		if _, err := d.reviewable(k, key); err != nil {
			return nil, err
		}
		if slices.Contains(e.Items[:i], key) {
			return nil, refuse(k, string(DossierValide), "« %s » est cité deux fois", key.Label())
		}
	}
	d.Validated = false
	effects := []Effect{UnlockCRF{}}
	for _, key := range e.Items {
		d.openCorrection(key, reason, e.Stamp)
		d.Items[d.index(key)].Status = ItemACorriger
		effects = append(effects, reopening(key, reason)...)
	}
	if slices.Contains(e.Items, Cloture) {
		d.bookReopened()
	}
	return append(effects, NotifyMandataire{Kind: NoticeDossierReopened, Reason: reason}), nil
}

// bookReopened: the CRF and the tableau des subventions are computed from
// the closed book, and reopening the book sends both back to draft (the
// app's ReopenBook effect); their items are missing again until the
// mandataire validates them anew, unless a correction of their own is open.
func (d *Dossier) bookReopened() {
	for _, k := range []ItemKey{CRF, Subventions} {
		if i := d.index(k); i >= 0 && (d.Items[i].Status == ItemRecu || d.Items[i].Status == ItemAccepte) {
			d.Items[i].Status = ItemManquant
		}
	}
}

// labels joins the French labels of items for a message.
func labels(keys []ItemKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.Label()
	}
	return strings.Join(parts, ", ")
}
