package service

import (
	"context"
	"errors"
	"os"
	"strings"

	"retkoop/app/docstore"
	"retkoop/app/fault"
	"retkoop/app/store"
	"retkoop/workflow"
)

// attachmentLabels name the statuses of a mailed file, in French.
var attachmentLabels = map[string]string{
	store.AttachmentStored:    "Classé",
	store.AttachmentDuplicate: "Déjà reçu",
	store.AttachmentTriage:    "À classer",
	store.AttachmentRejected:  "Refusé",
	store.AttachmentDismissed: "Écarté",
}

// AttachmentLabel is the French label of a mailed file's status.
func AttachmentLabel(status string) string { return attachmentLabels[status] }

// AssignMailFile files a file in triage into an item of a coop's dossier,
// in one transaction: the coop's document (created now for an unmatched
// message), the dossier's DocumentReceived (source mail, stamped with the
// staff member), and the triage row resolved. Assigning it again to the
// same coop and item changes nothing. element is the item's key.
func (a *Service) AssignMailFile(ctx context.Context, ad *store.ADScope, fileID int64, uai, element string) (Receipt, error) {
	at, err := ad.MailAttachment(ctx, fileID)
	if err != nil {
		return Receipt{}, err
	}
	item, err := workflow.ParseItemKey(element)
	if err != nil || item.IsStep() {
		return Receipt{}, fault.Invalidf("Choisissez l'élément du dossier auquel ce document correspond.")
	}
	uai = strings.ToUpper(strings.TrimSpace(uai))
	co, err := ad.CoopByUAI(ctx, uai)
	if errors.Is(err, fault.ErrNotFound) {
		return Receipt{}, fault.Invalidf("Aucune coopérative de votre AD n'a l'UAI « %s ».", uai)
	}
	if err != nil {
		return Receipt{}, err
	}
	switch at.Status {
	case store.AttachmentTriage:
	case store.AttachmentStored, store.AttachmentDuplicate:
		if at.CoopID != nil && *at.CoopID == co.ID && at.Item == string(item) {
			return Receipt{Item: item, Duplicate: true, ReceivedAt: at.ResolvedAt}, nil
		}
		return Receipt{}, fault.Invalidf("Ce document est déjà classé (%s).", workflow.ItemKey(at.Item).Label())
	default:
		return Receipt{}, fault.Invalidf("Ce document ne peut plus être classé (%s).", strings.ToLower(AttachmentLabel(at.Status)))
	}
	if _, err := os.Stat(a.Docs().Path(at.SHA256)); err != nil {
		return Receipt{}, fault.Invalidf("Le fichier « %s » n'est plus disponible sur le serveur.", at.Name)
	}
	entry, _, err := ad.MailMessage(ctx, at.LedgerID)
	if err != nil {
		return Receipt{}, err
	}
	var r Receipt
	err = ad.Tx(ctx, func(tx *store.ADScope) error {
		cs, err := tx.Coop(ctx, co.ID)
		if err != nil {
			return err
		}
		var doc *store.Document
		if at.DocumentID != nil && at.CoopID != nil && *at.CoopID == co.ID {
			doc, err = cs.Document(ctx, *at.DocumentID)
		} else {
			doc, _, err = cs.AddDocument(ctx, docstore.Stored{SHA256: at.SHA256, Size: at.Size, MIME: at.MIME}, at.Name, string(workflow.SourceMail))
		}
		if err != nil {
			return err
		}
		ex, err := a.MailExercice(ctx, cs, entry.Exercice)
		if errors.Is(err, fault.ErrNotFound) {
			return fault.Invalidf("La coopérative %s n'a aucun exercice : créez-le avant d'y classer un document.", co.UAI)
		}
		if err != nil {
			return err
		}
		if r, err = a.ReceiveDocument(ctx, cs, ex, item, workflow.SourceMail, doc); err != nil {
			return err
		}
		status := store.AttachmentStored
		if r.Duplicate {
			status = store.AttachmentDuplicate
		}
		ok, err := tx.ResolveAttachment(ctx, at.ID, co.ID, doc.ID, ex, string(r.Item), status)
		if err != nil {
			return err
		}
		if !ok {
			return fault.Invalidf("Ce document vient d'être classé par quelqu'un d'autre : rechargez la page.")
		}
		return nil
	})
	return r, err
}
